import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { inputError } from '../core/errors.js';
import { run, untranslated } from '../core/exec.js';
import { findHunk } from '../variants/apply.js';
import { patchIn, type Series } from '../variants/series.js';
import { gitIdentity } from '../variants/source-repo.js';

/** One mail to apply, named as the reviewer knows it. */
export interface MailPatch {
  /** "[PATCH 2/3] block: ..." */
  label: string;
  /** Where it was read: "series.mbox:120". */
  where: string;
  /** The mail as git am reads it. */
  raw: string;
}

/**
 * Applies mails with `git am -3`, one at a time so that the one that fails is known. A failure
 * is an input error on one line: the patch, where it came from, and the file and hunk that do
 * not apply (found with `git apply --check`, which names the line git am's 3-way fallback hides).
 */
export async function amPatches(tree: string, patches: readonly MailPatch[], baseName: string, scratch: string): Promise<void> {
  for (const [i, p] of patches.entries()) {
    const file = join(scratch, `mail-${String(i + 1).padStart(4, '0')}.eml`);
    await writeFile(file, p.raw);
    const am = await execa('git', ['-C', tree, ...gitIdentity, 'am', '-3', '--quiet', file], { reject: false, env: untranslated });
    if (am.exitCode === 0) continue;
    await execa('git', ['-C', tree, 'am', '--abort'], { reject: false });
    throw inputError(`${p.label} (${p.where}) does not apply to ${baseName}: ${await whyNot(tree, file, `${am.stderr}\n${am.stdout}`)}`);
  }
}

async function whyNot(tree: string, file: string, amOutput: string): Promise<string> {
  const check = await execa('git', ['-C', tree, 'apply', '--check', file], { reject: false, env: untranslated });
  const failed = check.stderr.match(/patch failed: (.+):(\d+)/);
  if (failed) {
    const [, path, line] = failed;
    const hunk = await findHunk(file, path!, Number(line));
    return `${path}: hunk ${hunk ?? `at line ${line}`} does not apply`;
  }
  const missing = check.stderr.match(/error: (.+): (No such file or directory|does not exist in index)/);
  if (missing) return `${missing[1]}: the file to patch does not exist in this source`;
  const first = [check.stderr, amOutput].join('\n').split('\n').find((l) => /^(error|fatal): /.test(l));
  return first?.replace(/^(error|fatal): /, '') ?? 'git am failed';
}

/**
 * The commits after `since` as patch files plus a quilt `series` file: the series `name`, as
 * emuflock's build applies it. --zero-commit and no signature make the bytes (and so the build
 * key) depend on the patches alone, not on when they were applied.
 */
export async function formatSeries(tree: string, since: string, outDir: string, name: string): Promise<Series> {
  const out = await run('git', ['-C', tree, 'format-patch', '--zero-commit', '--no-signature', '-o', outDir, `${since}..HEAD`]);
  const files = out.split('\n').filter(Boolean).map((f) => f.split('/').pop()!);
  await writeFile(join(outDir, 'series'), files.join('\n') + '\n');
  return { name, dir: outDir, patches: await Promise.all(files.map((f) => patchIn(outDir, f))) };
}
