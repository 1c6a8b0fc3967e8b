import type { Test } from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempDir, writeCase } from '../helpers.js';

/** `emuflock review` of an mbox with a case, in a directory of its own: its exit, run directory and review.txt. */
export async function reviewRun(t: Test, mbox: string, caseText: string, args: string[]) {
  const dir = await tempDir();
  await writeFile(join(dir, 'series.mbox'), mbox);
  const caseFile = await writeCase(dir, 'review-case', caseText);
  const r = await runCli(['review', 'series.mbox', '--case', caseFile, '--results', join(dir, 'results'), ...args], { cwd: dir });
  const runDir = join(dir, r.stdout.match(/^review: (.+)\/review\.txt$/m)?.[1] ?? 'none');
  const text = await readFile(join(runDir, 'review.txt'), 'utf8').catch(() => '');
  t.comment(text);
  return { r, dir, runDir, text };
}
