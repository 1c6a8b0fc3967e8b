import { createHash } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { fsError } from '../core/fs-error.js';
import { readBounded } from '../core/bounded-read.js';
import { basename, join } from 'node:path';
import { displayPath, parseYaml } from '../core/yaml-input.js';
import { inputError } from '../core/errors.js';
import { makeExclusiveDir, writeAtomic } from '../core/files.js';
import { manifestSchema, type RunManifest } from './manifest-schema.js';
import { checkManifestCases } from './run-identity.js';

export type { MergedFrom, RunManifest } from './manifest-schema.js';

export const journalName = 'journal.jsonl';
export const manifestName = 'run.json';

export function journalPath(runDir: string): string {
  return join(runDir, journalName);
}

/** The most characters of case names a run id holds: ids are directory names (255 bytes at most). */
const runIdNamesMax = 60;

/** A run id sorts by time and says what ran: 20261126-045118-smoke. */
export function newRunId(caseNames: string[], now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const what = caseNames.length <= 2 ? caseNames.join('+') : `${caseNames[0]}+${caseNames.length - 1}-more`;
  // Case file names may hold anything a file name can; the id is a path and a word in shell lines.
  const safe = what.replace(/[^A-Za-z0-9._+-]/g, '_').slice(0, runIdNamesMax);
  return `${stamp}-${safe}`;
}

/** A new run directory (makeExclusiveDir) holding its run.json: the folder and the manifest as written (its runId is the folder's name). */
export async function createRunDir(root: string, manifest: RunManifest): Promise<{ dir: string; manifest: RunManifest }> {
  const dir = await makeExclusiveDir(root, manifest.runId);
  const written = { ...manifest, runId: basename(dir) };
  try {
    await writeManifest(dir, written);
  } catch (e) {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    throw fsError(e, dir);
  }
  return { dir, manifest: written };
}

export async function writeManifest(dir: string, manifest: RunManifest): Promise<void> {
  await writeAtomic(join(dir, manifestName), JSON.stringify(manifest, null, 2) + '\n');
}

/**
 * Reads and checks run.json: its fields (file, line and field named when one is wrong) and
 * each case text against its recorded sha256, since a resume re-plans from those texts and
 * a report shows them as what ran.
 */
export async function readManifest(runDir: string): Promise<RunManifest> {
  const file = join(runDir, manifestName);
  let text: string;
  const st = await stat(file).catch(() => undefined);
  if (!st) throw inputError(`${displayPath(runDir)}: not a run directory (no ${manifestName})`);
  try {
    text = (await readBounded(file, { maxBytes: 16 * 1024 * 1024, what: manifestName })).toString('utf8');
  } catch (e) {
    throw inputError(`${displayPath(runDir)}: not a run directory (${(e as Error).message})`);
  }
  const manifest = parseYaml(text, displayPath(file), manifestSchema, `${manifestName} is a JSON object (runId, seed, cases, ...)`) as RunManifest;
  checkManifestCases(manifest, displayPath(file));
  manifest.cases.forEach((c, i) => {
    if (createHash('sha256').update(c.text).digest('hex') !== c.sha256) {
      throw inputError(
        `${displayPath(file)}: cases[${i}].text: does not match its recorded sha256 (${c.sha256.slice(0, 12)}…): run.json was edited after the run started; only the case the run ran can be resumed or reported`,
      );
    }
  });
  return manifest;
}
