import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { confinedPath } from '../core/confine.js';
import { projectRoot } from '../core/paths.js';

export interface Patch {
  name: string;
  path: string;
  sha256: string;
}

/**
 * An ordered set of patches: patches/<name>/series lists them in quilt order. A series written
 * for several QEMU releases keeps one such folder per release instead,
 * patches/<name>/qemu-<major>.<minor>/, and the source's VERSION picks one.
 */
export interface Series {
  name: string;
  dir: string;
  patches: Patch[];
  /** "10.2" for a per-release version of the series; absent for a series for any base. */
  base?: string;
}

/** The release a QEMU VERSION file names, as the per-release folders are named: "10.2.2" → "10.2". */
export function releaseOf(version: string): string {
  return version.trim().split('.').slice(0, 2).join('.');
}

export function patchesRoot(): string {
  return process.env.EMUFLOCK_PATCHES ?? join(projectRoot(), 'patches');
}

/**
 * Loads a series for a source whose VERSION file says `qemuVersion` (e.g. "10.2.2"). Without a
 * version (where no source is at hand), a per-release series must be asked for by release.
 */
export async function loadSeries(name: string, root = patchesRoot(), qemuVersion?: string): Promise<Series> {
  // Names come from case files and variants.yaml: a series is a folder directly in patches/.
  const top = confinedPath(root, name, 'series');
  const bases = await seriesBases(top);
  if (bases.length === 0) return readSeries(name, top, root);
  const release = qemuVersion === undefined ? undefined : releaseOf(qemuVersion);
  if (release === undefined || !bases.includes(release)) {
    const asked = qemuVersion === undefined ? 'no QEMU version was given' : `it has no version for QEMU ${qemuVersion}`;
    throw inputError(`patch series "${name}" is written per QEMU release and ${asked} (it has: ${bases.join(', ')}; ${top}/qemu-<release>/)`);
  }
  return { ...(await readSeries(name, join(top, `qemu-${release}`), root)), base: release };
}

/** Every version of a series: the one folder, or one per release. */
export async function loadSeriesAllBases(name: string, root = patchesRoot()): Promise<Series[]> {
  const bases = await seriesBases(join(root, name));
  if (bases.length === 0) return [await loadSeries(name, root)];
  return Promise.all(bases.map((b) => loadSeries(name, root, b)));
}

/** The releases a series has folders for, oldest first; empty for a series for any base. */
export async function seriesBases(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .map((e) => (e.isDirectory() || e.isSymbolicLink() ? e.name.match(/^qemu-(\d+\.\d+)$/)?.[1] : undefined))
    .filter((b): b is string => b !== undefined)
    .sort((a, b) => Number(a.split('.')[0]) - Number(b.split('.')[0]) || Number(a.split('.')[1]) - Number(b.split('.')[1]));
}

async function readSeries(name: string, dir: string, root: string): Promise<Series> {
  const seriesFile = join(dir, 'series');
  let text: string;
  try {
    text = await readFile(seriesFile, 'utf8');
  } catch {
    const known = await listSeries(root);
    throw inputError(`no patch series "${name}": ${seriesFile} does not exist (known: ${known.join(', ') || 'none'})`);
  }
  const patches: Patch[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    // quilt syntax: one patch per line, "#" comments, an optional "-pN" we do not need.
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const file = line.split(/\s+/)[0]!;
    patches.push(
      await patchIn(dir, file).catch(() => {
        throw inputError(`${seriesFile}:${i + 1}: ${file}: no such patch file`);
      }),
    );
  }
  if (patches.length === 0) throw inputError(`${seriesFile}: lists no patches`);
  return { name, dir, patches };
}

/** A patch file of a series folder, hashed: its bytes are part of every build key it is in. */
export async function patchIn(dir: string, file: string): Promise<Patch> {
  const path = join(dir, file);
  return { name: file, path, sha256: createHash('sha256').update(await readFile(path)).digest('hex') };
}

export async function listSeries(root = patchesRoot()): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/**
 * Why a series has no version for some releases, as its README says: a regression model (a
 * 2015 bug put back into 7.2 to reproduce the talk) is never carried forward, and a fix says
 * where it is "Not needed on ...".
 */
export async function noVersionNeeded(dir: string): Promise<string | undefined> {
  const text = await readFile(join(dir, 'README.md'), 'utf8').catch(() => '');
  if (/regression model, not a fix/i.test(text)) return 'a regression model (README), not a fix: no release but its own needs a version';
  return notNeededSentence(text);
}

/** The README's sentence that starts with `opening`, up to its full stop, on one line. */
function sentenceStarting(readme: string, opening: string): string | undefined {
  return readme.replace(/\s+/g, ' ').match(new RegExp(`${opening} .*?\\.(?=\\s|$)`))?.[0];
}

const notNeededSentence = (readme: string) => sentenceStarting(readme, 'Not needed on');

/** A fix's README sentence naming the upstream commit that fixed the same bug ("Fixed upstream by ..."), if it has one. */
export async function fixedUpstreamSentence(dir: string): Promise<string | undefined> {
  return sentenceStarting(await readFile(join(dir, 'README.md'), 'utf8').catch(() => ''), 'Fixed upstream by');
}

/**
 * Whether a fix's README says it is not needed on `release` ("Not needed on 7.2 or 10.0", "...
 * and of no use on 10.1 and later"): the releases that sentence names, "X and later" meaning X
 * and every release after it. The sentence when it does, else undefined.
 */
export async function notNeededOn(dir: string, release: string): Promise<string | undefined> {
  const sentence = notNeededSentence(await readFile(join(dir, 'README.md'), 'utf8').catch(() => ''));
  if (!sentence) return undefined;
  const number = (r: string) => r.split('.').map(Number) as [number, number];
  const [major, minor] = number(release);
  for (const m of sentence.matchAll(/(\d+)\.(\d+)( and later)?/g)) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    if ((a === major && b === minor) || (m[3] && (major > a || (major === a && minor >= b)))) return sentence;
  }
  return undefined;
}
