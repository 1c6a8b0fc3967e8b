import { access } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { environmentError } from '../core/errors.js';
import { untranslated } from '../core/exec.js';

export interface CheckpatchResult {
  patch: string;
  ok: boolean;
  /** checkpatch.pl's report: its findings, then "total: E errors, W warnings, L lines checked". */
  output: string;
}

/**
 * The base tree's own scripts/checkpatch.pl on each patch: QEMU's rules are the ones of the
 * tree the series is for, and they change between releases. Without --signoff the
 * Signed-off-by check is left out (--no-signoff): the trailer is the author's to add, never
 * the tool's, and its absence is not a style problem of the patch.
 */
export async function runCheckpatch(tree: string, patches: readonly string[], checkSignoff: boolean): Promise<CheckpatchResult[]> {
  const script = join(tree, 'scripts', 'checkpatch.pl');
  await access(script).catch(() => {
    throw environmentError(`the base tree has no scripts/checkpatch.pl (${tree}): is it a QEMU source?`);
  });
  const results: CheckpatchResult[] = [];
  for (const patch of patches) {
    const args = [script, '--color=never', ...(checkSignoff ? [] : ['--no-signoff']), patch];
    const r = await execa('perl', args, { cwd: tree, reject: false, env: untranslated, all: true });
    if ((r as { code?: string }).code === 'ENOENT') throw environmentError('perl is not installed; checkpatch.pl needs it: sudo apt-get install perl');
    results.push({ patch: basename(patch), ok: r.exitCode === 0, output: String(r.all ?? '').trim() });
  }
  return results;
}

/** "total: 0 errors, 1 warnings, 94 lines checked" of one result, or its last line. */
export function checkpatchTotal(r: CheckpatchResult): string {
  return r.output.match(/^total: .*$/m)?.[0] ?? r.output.split('\n').pop() ?? '';
}
