import { copyFile, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { fsError } from '../core/fs-error.js';
import { printable } from '../core/printable.js';
import { loadSeriesAllBases } from '../variants/series.js';
import { splitSpec } from '../variants/user-source.js';
import { dirname, join } from 'node:path';
import { dir as tmpDir } from 'tmp-promise';
import { writeFile } from 'node:fs/promises';
import { displayPath } from '../core/yaml-input.js';
import { EmuflockError, inputError } from '../core/errors.js';
import { run } from '../core/exec.js';
import { qemuSource, seriesForSource } from '../variants/resolve.js';
import { gitIdentity } from '../variants/source-repo.js';
import { loadVariantDefs } from '../variants/variant-defs.js';
import { withBaseTree, type Base } from './base-tree.js';
import { runCheckpatch, type CheckpatchResult } from './checkpatch.js';
import { coverBlurb, fillCoverLetter, readmeTagline } from './cover-letter.js';
import { amPatches } from './git-am.js';
import { latestComparison } from './latest-comparison.js';
import { parseSubject } from './patch-subject.js';

export interface MailOptions {
  series: string;
  /** A variant name (its source and own series), or a source: debian, PATH[@REV], a tarball. */
  base: string;
  signoff: boolean;
  outDir: string;
  resultsRoot: string;
  variantsFile?: string;
  threshold: number;
  alpha: number;
  log: (line: string) => void;
}

export interface MailResult {
  files: string[];
  checkpatch: CheckpatchResult[];
  measuredRun?: string;
}

/**
 * `emuflock mail`: one of the repository's series as mail for qemu-devel. The series is applied
 * to the base with git am and formatted again from there (so the mail fits the tree it is
 * sent for), a cover letter carries the latest measurement, and the base tree's checkpatch.pl
 * must pass before anything is written to the output directory.
 */
export async function mailSeries(opts: MailOptions): Promise<MailResult> {
  // Everything about the input and the output folder is checked before a source is fetched.
  await loadSeriesAllBases(opts.series).catch((e: unknown) => {
    throw e instanceof EmuflockError ? inputError(`mail: ${e.message}`) : e;
  });
  const oldMails = await checkMailDir(opts.outDir);
  const base = await resolveBase(opts.base, opts.series, opts.variantsFile, opts.log);
  const [series] = await seriesForSource([opts.series], base.source, `mail ${opts.series} --base ${opts.base}`);
  if (!series) throw inputError(`no patch series "${opts.series}"`);
  const signer = opts.signoff ? await userIdentity() : undefined;
  const staging = await tmpDir({ prefix: 'emuflock-mail-', unsafeCleanup: true });
  try {
    const out = join(staging.path, 'out');
    const { files, checkpatch } = await withBaseTree(base, async (tree, head) => {
      const mails = [];
      for (const p of series.patches) mails.push({ label: p.name, where: displayPath(p.path), raw: await readFile(p.path, 'utf8') });
      await amPatches(tree, mails, `${base.name} (${base.source.label})`, staging.path);
      const identity = signer ? ['-c', `user.name=${signer.name}`, '-c', `user.email=${signer.email}`] : gitIdentity;
      const listed = await run('git', ['-C', tree, ...identity, 'format-patch', '--cover-letter', '--no-signature', ...(signer ? ['--signoff'] : []), '-o', out, `${head}..HEAD`]);
      const files = listed.split('\n').filter(Boolean);
      const checkpatch = await runCheckpatch(tree, files.filter((f) => !f.endsWith('0000-cover-letter.patch')), opts.signoff);
      return { files, checkpatch };
    });
    const failed = checkpatch.filter((r) => !r.ok);
    if (failed.length > 0) {
      const findings = failed.map((r) => `${r.patch}:\n${r.output.replace(/^/gm, '  ')}`).join('\n');
      throw new EmuflockError('failure', `checkpatch.pl (of ${base.name}) finds problems in ${failed.length} of ${checkpatch.length} patch${checkpatch.length > 1 ? 'es' : ''} of ${series.name}; nothing written to ${displayPath(opts.outDir)}\n${findings}`);
    }
    const measured = await latestComparison(opts.resultsRoot, series.name, opts);
    const cover = files.find((f) => f.endsWith('0000-cover-letter.patch'))!;
    // A per-release series keeps one README above its release folders.
    const readme = await readFile(join(series.base ? dirname(series.dir) : series.dir, 'README.md'), 'utf8').catch(() => undefined);
    const titles = [];
    for (const f of files.filter((f) => f !== cover)) titles.push(parseSubject((await readFile(f, 'utf8')).match(/^Subject: (.*(?:\n .*)*)/m)?.[1]?.replace(/\n /g, ' ') ?? '').title);
    const title = coverTitle(titles, readmeTagline(readme));
    await writeFile(cover, fillCoverLetter(await readFile(cover, 'utf8'), title, coverBlurb(series.name, readmeTagline(readme), measured, displayPath(opts.resultsRoot))));
    const written = [];
    try {
      await mkdir(opts.outDir, { recursive: true });
      // The folder is the series as mail, whole: `git send-email DIR/*` must not pick up a
      // patch of an earlier, longer version.
      for (const f of oldMails) await rm(join(opts.outDir, f), { force: true });
      for (const f of (await readdir(out)).sort()) {
        await copyFile(join(out, f), join(opts.outDir, f));
        written.push(join(opts.outDir, f));
      }
    } catch (e) {
      throw fsError(e, opts.outDir, '-o');
    }
    return { files: written, checkpatch, ...(measured ? { measuredRun: measured.runDir } : {}) };
  } finally {
    await staging.cleanup().catch(() => {});
  }
}

/**
 * The cover letter's subject: a lone patch's own title; else the README's tagline under the
 * subsystem prefix the patches share ("virtio-pci: ..."), as qemu-devel cover letters read.
 */
export function coverTitle(patchTitles: string[], tagline: string | undefined): string {
  if (patchTitles.length === 1 || !tagline) return patchTitles[0]!;
  const prefixes = new Set(patchTitles.map((t) => t.match(/^([\w/.-]+): /)?.[1]));
  const prefix = prefixes.size === 1 ? [...prefixes][0] : undefined;
  return prefix ? `${prefix}: ${tagline[0]!.toUpperCase()}${tagline.slice(1)}` : tagline;
}

/** What format-patch writes: the only files an output folder may hold, and those it replaces. */
const mailFile = /^\d{4}-[^/]*\.patch$/;

/**
 * The output folder: new, or a folder of earlier mails (format-patch's NNNN-*.patch only,
 * returned: they are replaced). A file, a device, or a folder with anything else is refused.
 */
async function checkMailDir(dir: string): Promise<string[]> {
  const st = await stat(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw fsError(e, dir, '-o');
  });
  if (!st) return [];
  if (!st.isDirectory()) throw inputError(`-o ${displayPath(dir)}: is not a folder; the mails are one file each: name a new folder or one of earlier mails`);
  const entries = await readdir(dir).catch((e: unknown) => {
    throw fsError(e, dir, '-o');
  });
  const other = entries.filter((f) => !mailFile.test(f));
  if (other.length > 0) throw inputError(`-o ${displayPath(dir)}: holds files that are not mails of git format-patch (${other.slice(0, 3).map((f) => printable(f, 40)).join(', ')}); name a new folder`);
  return entries;
}

/** A variant of the shared file (without the mailed series itself), else a source spec. */
async function resolveBase(spec: string, mailed: string, variantsFile: string | undefined, log: (line: string) => void): Promise<Base> {
  const defs = await loadVariantDefs(variantsFile);
  const def = defs.get(spec);
  if (!def && spec !== 'debian' && !spec.startsWith('debian:') && !(await stat(splitSpec(spec).path).then(() => true, () => false))) {
    const names = [...defs.keys()];
    throw inputError(`--base ${printable(spec)}: neither a variant (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}) nor a QEMU source (debian, debian:SUITE, a checkout PATH[@REV], a tarball)`);
  }
  if (!def) return { name: spec, source: await qemuSource(spec, log), series: [] };
  const source = await qemuSource(def.source, log);
  const own = await seriesForSource(def.series.filter((s) => s !== mailed), source, `base ${def.name}`);
  return { name: def.name, source, series: own };
}

/** The author's git identity, for their Signed-off-by: never emuflock's. */
async function userIdentity(): Promise<{ name: string; email: string }> {
  const get = (key: string) => run('git', ['config', key]).then((v) => v.trim(), () => '');
  const [name, email] = [await get('user.name'), await get('user.email')];
  if (!name || !email) throw inputError('--signoff signs off as you: set git config user.name and user.email first (Signed-off-by is your statement, not the tool\'s)');
  return { name, email };
}
