import t from 'tap';
import { join } from 'node:path';
import { readJournal } from '../../harness/journal/journal.js';
import { runCli, tempDir, writeCase } from '../helpers.js';

// One real adaptive run: Debian's binary against the `upstream` build of the same source
// (series: []), repetitions {min: 3, max: 6}. Whatever the host's noise makes of the
// comparison, the run must stop at a look (3, 5) only when decided, else at max (6), with
// both variants at the same count and every trial id once. The decisions themselves are
// tested exactly with synthetic timings in test/run/schedule/adaptive.test.ts.

// On a fresh machine the QEMU build of `upstream` (minutes) is paid by whichever test needs it
// first (the pipeline test builds it before its jobs run); the others wait on the build's lock
// and find it in the build cache.
t.test('adaptive repetitions grow an undecided comparison and stop at a decision or at max', { timeout: 1_800_000 }, async (t) => {
  const dir = await tempDir();
  const file = await writeCase(dir, 'adaptive', 'disks: 8\nvariants: [system, upstream]\nrepetitions: {min: 3, max: 6}\nseed: 11\n');
  const run = await runCli(['run', file, '--results', join(dir, 'results')], { cwd: dir });
  t.comment(run.stderr.split('\n').filter((l) => /^\[|adaptive/.test(l)).join('\n'));
  t.equal(run.exitCode, 0, `exit 0 (${run.stderr.trim().split('\n').pop()})`);
  const runDir = join(dir, run.stdout.match(/^results: (.+)\/journal\.jsonl$/m)![1]!);
  const journal = await readJournal(join(runDir, 'journal.jsonl'));
  const reps = (v: string) => journal.filter((o) => o.variant.name === v).map((o) => o.rep).sort((a, b) => a - b);
  const n = reps('system').length;
  t.same(reps('system'), [...Array(n).keys()], 'system: r0.. once each');
  t.same(reps('upstream'), reps('system'), 'both variants at the same count');
  t.ok([3, 5, 6].includes(n), `stopped at a look or at max: ${n}`);
  t.equal(/adaptive repetitions:/.test(run.stderr), n > 3, 'the plan grew only when the first look was undecided');
  for (let b = 0; b < n; b++) {
    const block = journal.filter((o) => o.order >= 2 * b && o.order < 2 * b + 2).map((o) => o.variant.name).sort();
    t.same(block, ['system', 'upstream'], `block ${b} holds both variants`);
  }

  const compared = await runCli(['compare', runDir], { cwd: dir });
  t.comment(compared.stdout);
  const verdict = compared.stdout.match(/\s(SLOWER|FASTER|SAME|UNKNOWN)$/m)?.[1];
  t.ok(verdict, 'a verdict row');
  if (n < 6) t.not(verdict, 'UNKNOWN', `stopped at ${n} < max, so the comparison was decided`);
  t.equal(compared.exitCode, verdict === 'SLOWER' ? 1 : 0);
  // The run itself ended with the same verdict, where the user looks: ratio, interval, p, test, trials.
  const line = run.stdout.match(/^adaptive\s+disks=8\s+upstream vs system\s+(SLOWER|FASTER|SAME|UNKNOWN) ×[\d.]+ \[[\d.]+, [\d.]+\] p [\d.e<-]+, (Welch on log times|rank test), (\d+) \+ (\d+)$/m);
  t.ok(line, `the run's closing verdict line:\n${run.stdout}`);
  t.equal(line?.[1], verdict, 'the same verdict as compare');
  t.same([Number(line?.[3]), Number(line?.[4])], [n, n], 'over every trial of each side');
});
