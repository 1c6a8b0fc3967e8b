import t from 'tap';
import { join } from 'node:path';
import { readJournal } from '../../harness/journal/journal.js';
import { runCli, tempDir, writeCase } from '../helpers.js';

// Real boots through the CLI: 5 trials of 8 disks and 5 of 512 disks on Debian's QEMU. 512
// disks take about twice as long to start as 8 under TCG (256 disks, only ~40% longer, was
// seen UNKNOWN on a host loaded by other boots: two runs one after the other are not
// interleaved), so comparing the two runs must find SLOWER, significantly; a run compared
// with itself must not.

/** `emuflock run` prints "results: <run-dir>/journal.jsonl" last. */
function runDirOf(stdout: string): string {
  const m = stdout.match(/^results: (.+)\/journal\.jsonl$/m);
  if (!m) throw new Error(`no results line in: ${stdout}`);
  return m[1]!;
}

/** Row of the comparison table for a verdict, with its p column. */
function verdictRow(stdout: string): { verdict: string; p: number; line: string } {
  const line = stdout.split('\n').find((l) => /\s(SLOWER|FASTER|SAME|UNKNOWN)$/.test(l));
  if (!line) throw new Error(`no verdict row in: ${stdout}`);
  const cells = line.trim().split(/\s{2,}/);
  // ... p, test, n, verdict: the p column is fourth from the end.
  return { verdict: cells[cells.length - 1]!, p: Number(cells[cells.length - 4]), line };
}

t.test('compare: 512 disks against 8 disks is SLOWER (exit 1); a run against itself is not (exit 0)', { timeout: 300_000 }, async (t) => {
  const dir = await tempDir();
  const results = join(dir, 'results');
  const run8 = await runCli(['run', await writeCase(dir, 'disks8', 'disks: 8\nrepetitions: 5\n'), '--results', results], { cwd: dir });
  t.equal(run8.exitCode, 0, `exit 0 (${run8.stderr.trim().split('\n').pop()})`);
  const run512 = await runCli(['run', await writeCase(dir, 'disks512', 'disks: 512\nrepetitions: 5\n'), '--results', results], { cwd: dir });
  t.equal(run512.exitCode, 0, `exit 0 (${run512.stderr.trim().split('\n').pop()})`);
  const dir8 = join(dir, runDirOf(run8.stdout));
  const dir512 = join(dir, runDirOf(run512.stdout));
  t.equal((await readJournal(join(dir8, 'journal.jsonl'))).length, 5);

  // On the disk probe phase (about 0.1 s against 2.3 s) rather than the total, where a slow
  // 8-disk boot on a busy host can overlap the 512-disk ones and make 5 + 5 trials UNKNOWN.
  const slower = await runCli(['compare', dir8, dir512, '--metric', 'diskProbeMs'], { cwd: dir });
  t.comment(slower.stdout);
  t.equal(slower.exitCode, 1, 'a SLOWER point fails the gate');
  const row = verdictRow(slower.stdout);
  t.equal(row.verdict, 'SLOWER', row.line);
  t.ok(row.p < 0.05, `p = ${row.p}`);
  t.match(slower.stdout, /note: the runs share no point; paired by variant: system disks=8 \(old\) → disks=512 \(new\)/);
  t.match(slower.stdout, /disksSeen\s+8\s+512\s+DIFFERENT/);
  t.match(slower.stdout, /old: .*disks8 \(5 trials used\)/);

  const same = await runCli(['compare', dir8, dir8], { cwd: dir });
  t.comment(same.stdout);
  t.equal(same.exitCode, 0);
  t.match(verdictRow(same.stdout).verdict, /^(SAME|UNKNOWN)$/);
  t.match(same.stdout, /disksSeen\s+8\s+8\s+EQUAL/);

  const phase = await runCli(['compare', dir8, dir512, '--metric', 'diskProbeMs', '--threshold', '10%'], { cwd: dir });
  t.comment(phase.stdout);
  t.match(phase.stdout, /^diskProbeMs: .*\|delta\| > 10%/);

  const alone = await runCli(['compare', dir8], { cwd: dir });
  t.equal(alone.exitCode, 2, 'one variant at one point: nothing to compare');
  t.match(alone.stderr, /nothing to compare: the run has one variant and one disk count/);
});

t.test('compare: bad input exits 2 and names it', async (t) => {
  const dir = await tempDir();
  const missing = await runCli(['compare', join(dir, 'nope')], { cwd: dir });
  t.equal(missing.exitCode, 2);
  t.match(missing.stderr, /nope: not a run directory \(no run\.json\)/);
  const badMetric = await runCli(['compare', dir, '--metric', 'bogus'], { cwd: dir });
  t.equal(badMetric.exitCode, 2);
  const badThreshold = await runCli(['compare', dir, '--threshold', '-3'], { cwd: dir });
  t.equal(badThreshold.exitCode, 2);
});
