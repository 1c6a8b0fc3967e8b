import t from 'tap';
import { compareTimes } from '../../harness/analyze/index.js';
import { checkForStep, checkOfStep, findChanges, findingLines, openRegressions, sourceName, stepCheck } from '../../harness/history/findings.js';
import type { HistoryFile } from '../../harness/history/history-file.js';
import { regressionsText } from '../../harness/history/history-text.js';
import type { Trend } from '../../harness/history/trend.js';

const at = (level: number) => [0.98, 0.99, 1.0, 1.01, 1.02].map((f) => level * f);
const sha = (c: string) => c.repeat(40);

const history: HistoryFile = {
  version: 1,
  name: 'probe-2000',
  case: { name: 'probe-2000', file: 'cases/probe-2000.yaml', sha256: '0'.repeat(64), text: 'disks: 2000\n' },
  sources: [
    { label: 'debian:trixie', spec: 'debian:1:10.0.13+ds-0+deb13u1', id: 'debian-qemu-10.0.13+ds-0+deb13u1' },
    { label: 'debian:1:10.2.2+ds-1', spec: 'debian:1:10.2.2+ds-1', id: 'debian-qemu-10.2.2+ds-1' },
    { label: 'v11.0.0', spec: '/src/qemu@' + sha('a'), id: 'git-' + sha('a'), git: { repo: '/src/qemu', commit: sha('a'), subject: 'Update version for v11.0.0' } },
    { label: 'bbbbbbbb', spec: '/src/qemu@' + sha('b'), id: 'git-' + sha('b'), git: { repo: '/src/qemu', commit: sha('b'), subject: 'a commit' } },
  ],
  records: {},
};

const trend = (levels: number[][]): Trend => ({
  metric: 'diskProbeMs',
  point: 'disks=2000',
  variant: 'upstream',
  disks: 2000,
  series: [],
  levels,
  trials: levels.map((l) => ({ all: l.length, ok: l.length })),
});

t.test('sources are named as the user did, with what they were pinned to', async (t) => {
  t.same(history.sources.map(sourceName), ['debian:trixie (1:10.0.13+ds-0+deb13u1)', 'debian:1:10.2.2+ds-1', `v11.0.0 (${sha('a').slice(0, 12)})`, sha('b').slice(0, 12)]);
});

t.test('a step that holds is one paste-able line and an open regression', async (t) => {
  const findings = findChanges([trend([at(35_900), at(36_000), at(173_000), at(172_000)])], {});
  t.same(findingLines(history, findings[0]!), [
    `between debian:1:10.2.2+ds-1 and v11.0.0 (${sha('a').slice(0, 12)}), disk probe at disks=2000 (upstream) 36.0 s → 173 s, 4.81× [4.70×, 4.92×], p 3.0e-15: SLOWER, holds to the last source`,
  ]);
  t.equal(openRegressions(findings).length, 1);
  t.match(regressionsText(history, findings).body, /^open regressions: 1 \(probe-2000\)\n- since v11\.0\.0 .*\(after debian:1:10\.2\.2\+ds-1\): disk probe at disks=2000 \(upstream\) 36\.0 s → 173 s/);
});

t.test('a step refuted side by side is said so and is not open', async (t) => {
  const [f] = findChanges([trend([at(36_000), at(36_000), at(173_000), at(172_000)])], {});
  f!.checks = [{ before: at(100_000), after: at(101_000), comparison: compareTimes(at(100_000), at(101_000)) }];
  t.match(findingLines(history, f!)[0], /; NOT a step: side by side 1\.01×, p 0\.\d+, SAME \(5 \+ 5 trials\) \(the host's load differed between the sources' runs\)$/);
  t.same(openRegressions([f!]), []);
});

t.test('a fix undone later, a blip and a drift are each named for what they are', async (t) => {
  const undone = findChanges([trend([at(10_000), at(5_000), at(5_000), at(10_000)])], {})[0]!;
  t.match(findingLines(history, undone)[0], /FASTER, undone at /);
  const blip = findChanges([trend([at(10_000), at(30_000), at(10_000), at(10_000)])], {})[0]!;
  t.match(findingLines(history, blip)[0], /^at debian:1:10\.2\.2\+ds-1 only, .*: SLOWER, back at v11\.0\.0 .*: one source off, not a step$/);
  const drift = findChanges([trend([at(10_000), at(10_400), at(10_800), at(11_200)])], {})[0]!;
  t.match(findingLines(history, drift), [/^from debian:trixie \(1:10\.0\.13\+ds-0\+deb13u1\) to [0-9a-f]{12}, disk probe .* drifted 10\.0 s → 11\.2 s, .*: SLOWER with no single step between neighbours$/]);
});

t.test('a candidate is reported undecided until side by side decides it; decided, it is an open regression', async (t) => {
  // Two trials a source: too few for the test, enough for an interval (a cheap first pass).
  const two = (level: number) => [0.99, 1.01].map((f) => level * f);
  const [f] = findChanges([trend([two(36_000), two(36_000), two(173_000), two(172_000)])], {});
  t.same(f!.result.steps.map((s) => [s.from, s.at, s.kind, s.verdict]), [[1, 2, 'candidate', 'SLOWER']]);
  t.match(findingLines(history, f!)[0], /^between debian:1:10\.2\.2\+ds-1 and v11\.0\.0 .*, disk probe at disks=2000 \(upstream\) 36\.0 s → 173 s, .*: undecided, SLOWER to the last source; not booted side by side yet \(history --resume DIR --decide-up-to N boots it\)$/);
  t.same(openRegressions([f!]), [], 'undecided: not open');

  // Side by side, 2 + 2 pointing the same way: more trials may decide it.
  f!.checks = [{ before: two(36_000), after: two(172_000), comparison: compareTimes(two(36_000), two(172_000)), moreTrials: true }];
  t.match(findingLines(history, f!)[0], /; still undecided side by side 4\.78×, .*, UNKNOWN \(2 \+ 2 trials\)$/);
  t.same(openRegressions([f!]), [], 'still undecided: not open');

  // Undecided side by side, the ratio within the threshold (one wild trial among three): the
  // pair's first check, sized for another step, leaves the candidate to its own more-trials run;
  // that run saying so refutes it.
  const still = [36_100, 35_800, 36_300];
  const wild = { before: still, after: [36_000, 173_000, 36_200], comparison: compareTimes(still, [36_000, 173_000, 36_200]) };
  f!.checks = [wild];
  t.equal(stepCheck(f!, 0), 'undecided');
  t.match(findingLines(history, f!)[0], /; still undecided side by side 1\.00×, .*, UNKNOWN \(3 \+ 3 trials\) \(history --resume DIR --decide-up-to N boots more trials\)$/);
  f!.checks = [{ ...wild, moreTrials: true }];
  t.match(findingLines(history, f!)[0], /; NOT a step: side by side 1\.00×, .*, UNKNOWN \(3 \+ 3 trials\)$/);
  t.same(openRegressions([f!]), [], 'refuted: not open');

  f!.checks = [{ before: at(36_000), after: at(36_100), comparison: compareTimes(at(36_000), at(36_100)) }];
  t.match(findingLines(history, f!)[0], /; NOT a step: side by side 1\.00×, .*, SAME \(5 \+ 5 trials\)$/);
  t.same(openRegressions([f!]), [], 'refuted: not open');

  f!.checks = [{ before: at(36_000), after: at(172_000), comparison: compareTimes(at(36_000), at(172_000)) }];
  t.match(findingLines(history, f!)[0], /; decided side by side 4\.78×, p .*, SLOWER \(5 \+ 5 trials\)$/);
  t.equal(openRegressions([f!]).length, 1, 'decided the way it pointed: an open regression');
  t.match(regressionsText(history, [f!]).body, /^- since v11\.0\.0 .*: disk probe at disks=2000 \(upstream\) 36\.0 s → 173 s, .*; decided side by side 4\.78×, p \S+, SLOWER \(5 \+ 5 trials\)$/m, 'its evidence is the side-by-side run');

  // The pair was bisected on another phase: its culprit is named as that bisect's, not this phase's.
  const pair = `${history.sources[1]!.id}..${history.sources[2]!.id}`;
  const bisected = { ...history, bisects: { [`${pair} totalMs disks=2000 upstream`]: { dir: 'bisects/x', culprit: sha('c'), subject: 'block: a commit', confirmed: true } } };
  t.match(regressionsText(bisected, [f!]).body, new RegExp(`; not bisected on this phase; the pair's bisect on total named ${sha('c').slice(0, 12)} block: a commit$`, 'm'));
});

t.test('a step whose side-by-side run is undecided but points its way is not counted until more trials decide it', async (t) => {
  const [f] = findChanges([trend([at(36_000), at(36_000), at(173_000), at(172_000)])], {});
  const step = f!.result.steps[0]!;
  t.same([step.kind, step.verdict], ['step', 'SLOWER']);
  t.equal(openRegressions([f!]).length, 1, 'unchecked: the sources\' own runs decided it');
  const side = (before: number[], after: number[]) => ({ before, after, comparison: compareTimes(before, after) });
  const undecided = side([36_000, 36_400], [170_000, 174_000]);
  f!.checks = [undecided];
  t.equal(stepCheck(f!, 0), 'undecided');
  t.match(findingLines(history, f!)[0], /holds to the last source; undecided side by side 4\.75×, .*, UNKNOWN \(2 \+ 2 trials\): not counted \(history --resume DIR --decide-up-to N boots more trials\)$/);
  t.same(openRegressions([f!]), [], 'undecided side by side: not open, not bisected');
  // A ratio past the threshold whose interval still reaches 1 is too few trials, not a refutation.
  const noisy = side([36_000, 50_000, 30_000], [40_000, 45_000, 80_000]);
  t.equal(noisy.comparison.verdict, 'UNKNOWN');
  t.ok(noisy.comparison.ratio > 1.05 && noisy.comparison.ratioCI.lower <= 1, `×${noisy.comparison.ratio.toFixed(2)} [${noisy.comparison.ratioCI.lower.toFixed(2)}, …]`);
  t.equal(checkOfStep(step, noisy), 'undecided');
  const flat = side([36_000, 36_400, 35_900], [36_100, 36_300, 75_000]);
  f!.checks = [flat];
  t.equal(stepCheck(f!, 0), 'refuted', 'undecided with its ratio within the threshold: the host, not QEMU');
  t.match(findingLines(history, f!)[0], /; NOT a step: side by side 1\.01×, .*, UNKNOWN \(3 \+ 3 trials\) \(the host's load differed between the sources' runs\)$/);

  // Which run judges it: the pair's own check, and the more-trials run only where that check left it undecided.
  const decided = { ...side(at(36_000), at(172_000)), moreTrials: true };
  t.equal(checkForStep(step, undecided, decided), decided, 'undecided at first: the run booted for it');
  const confirmed = side(at(36_000), at(173_000));
  t.equal(checkForStep(step, confirmed, { ...flat, moreTrials: true }), confirmed, 'confirmed at first: another metric\'s more-trials run does not overturn it');
  t.equal(checkForStep(step, flat, decided), flat, 'refuted at first: not rescued by another metric\'s run');
  const candidate = { ...step, kind: 'candidate' as const };
  t.equal(checkForStep(candidate, confirmed, decided), decided, 'a candidate: its own more-trials run');
  t.equal(checkForStep(candidate, confirmed, undefined), confirmed, 'a candidate without one: the pair\'s check');
  f!.checks = [decided];
  t.match(regressionsText(history, [f!]).body, /; decided side by side 4\.78×, p \S+, SLOWER \(5 \+ 5 trials\)$/m, 'open on a more-trials run: that run is its evidence');
});

t.test('no open regression: one line, and the sources not measured named', async (t) => {
  t.equal(regressionsText(history, []).body, `open regressions: none (probe-2000, 4 sources)\nnot measured yet: ${history.sources.map(sourceName).join(', ')}`);
});
