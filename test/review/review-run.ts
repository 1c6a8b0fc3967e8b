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

/** What every review.txt must look like: a mail a list accepts, quoting the series, saying how to reproduce. */
export function checkMailShape(t: Test, text: string) {
  const long = text.split('\n').filter((l) => l.length > 72);
  t.same(long, [], 'every line of review.txt fits 72 columns');
  t.match(text, /^On [^\n]+(\n(?!> )[^\n]+)? wrote:\n> \[PATCH/, 'quotes the series under its author and date');
  t.match(text, /Reproduce \(emuflock .*\):\n  emuflock review series\.mbox --case /, 'says how to reproduce');
  t.match(text, /^Host: .* x .*, \d+ GiB, Linux /m, 'names the host');
  t.match(text, /^QEMU upstream|^QEMU fixed/m, 'names the QEMU builds');
}

/** The row of a phase in review.txt's table: median cells of base and series, ratio, verdict. */
export function phaseRow(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`  ${label} `));
  return line ? line.slice(2 + label.length).trim().split(/\s{2,}/) : [];
}
