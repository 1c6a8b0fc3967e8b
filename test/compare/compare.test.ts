import t from 'tap';
import { compareRuns, defaultCompareOptions, type RunData } from '../../harness/compare/compare.js';
import { formatComparison } from '../../harness/compare/format.js';
import { observation, series } from './synthetic.js';
import type { Observation } from '../../harness/record/observation.js';

const run = (label: string, observations: Observation[], order: Record<string, string[]> = {}): RunData => ({
  label,
  observations,
  variantOrder: new Map(Object.entries(order)),
});

// Two clearly separated samples and two overlapping ones, in ms.
const fast = [3000, 3050, 3100, 3020, 3080];
const slow = [9000, 9100, 9050, 9200, 8950];
const fastAgain = [3010, 3060, 3090, 3030, 3070];

t.test('two runs: same variant and point paired; a clear slow-down is SLOWER and fails the gate', async (t) => {
  const r = compareRuns([run('old', series(fast)), run('new', series(slow))], defaultCompareOptions);
  t.equal(r.mode, 'runs');
  t.equal(r.times.length, 1);
  const row = r.times[0]!;
  t.equal(row.comparison?.verdict, 'SLOWER');
  t.ok(row.comparison!.test.pValue < 0.01, `p = ${row.comparison!.test.pValue}`);
  t.equal(row.old?.median, 3050);
  t.equal(row.new?.median, 9050);
  t.equal(r.regression, true);
  t.same(r.notes, []);
});

t.test('the reverse direction is FASTER, and not a regression', async (t) => {
  const r = compareRuns([run('old', series(slow)), run('new', series(fast))], defaultCompareOptions);
  t.equal(r.times[0]!.comparison?.verdict, 'FASTER');
  t.equal(r.regression, false);
});

t.test('a run against itself is SAME or UNKNOWN, never a change', async (t) => {
  const obs = series(fast);
  const r = compareRuns([run('a', obs), run('a', obs)], defaultCompareOptions);
  t.match(r.times[0]!.comparison?.verdict, /^(SAME|UNKNOWN)$/);
  t.equal(r.regression, false);
  t.equal(r.times[0]!.comparison!.ratio, 1);
});

t.test('runs that share no point but have one point per variant are paired by variant, and say so', async (t) => {
  const r = compareRuns([run('r8', series(fast, { disks: 8 })), run('r256', series(slow, { disks: 256 }))], defaultCompareOptions);
  t.equal(r.times.length, 1);
  t.equal(r.times[0]!.pair.old.point, 'disks=8');
  t.equal(r.times[0]!.pair.new.point, 'disks=256');
  t.match(r.notes.join('\n'), /share no point; paired by variant: system disks=8 \(old\) → disks=256 \(new\)/);
  const disks = r.counts.find((c) => c.name === 'disksSeen');
  t.equal(disks?.comparison?.verdict, 'DIFFERENT');
  t.equal(disks?.comparison?.difference, 248);
});

t.test('runs that share no point and sweep several points cannot be paired: input error', async (t) => {
  const old = [...series(fast, { disks: 8 }), ...series(fast, { disks: 16 })];
  const now = series(slow, { disks: 256 });
  t.throws(() => compareRuns([run('a', old), run('b', now)], defaultCompareOptions), { kind: 'input', message: /share no variant at the same point/ });
});

t.test('points are matched on every parameter, not only the point string', async (t) => {
  const old = series(fast);
  const now = series(slow).map((o) => ({ ...o, params: { ...o.params, memoryMiB: 1024 } }));
  const extra = series(fast, { disks: 16 });
  const r = compareRuns([run('a', [...old, ...extra]), run('b', [...now, ...extra])], defaultCompareOptions);
  t.equal(r.times.length, 1, 'only disks=16 pairs');
  t.equal(r.times[0]!.pair.old.point, 'disks=16');
  t.match(r.notes.join('\n'), /only in the old run, not compared: system disks=8/);
  t.match(r.notes.join('\n'), /only in the new run, not compared: system disks=8/);
});

t.test('one run: every variant against the case\'s first variant, or --baseline', async (t) => {
  const obs = [...series(slow, { variant: 'upstream' }), ...series(fast, { variant: 'fixed' }), ...series(slow, { variant: 'unfixed' })];
  const order = { c: ['upstream', 'fixed', 'unfixed'] };
  const r = compareRuns([run('one', obs, order)], defaultCompareOptions);
  t.equal(r.mode, 'baseline');
  t.same(
    r.times.map((x) => [x.pair.old.variant, x.pair.new.variant, x.comparison?.verdict]),
    [
      ['upstream', 'fixed', 'FASTER'],
      ['upstream', 'unfixed', 'SAME'],
    ],
  );
  const b = compareRuns([run('one', obs, order)], { ...defaultCompareOptions, baseline: 'fixed' });
  t.same(
    b.times.map((x) => [x.pair.old.variant, x.pair.new.variant, x.comparison?.verdict]),
    [
      ['fixed', 'upstream', 'SLOWER'],
      ['fixed', 'unfixed', 'SLOWER'],
    ],
  );
  t.equal(b.regression, true);
  t.throws(() => compareRuns([run('one', obs, order)], { ...defaultCompareOptions, baseline: 'nope' }), { kind: 'input', message: /--baseline nope: no such variant in this run \(it has: upstream, fixed, unfixed\)/ });
});

t.test('only ok, counted trials are used; the rest are counted by reason', async (t) => {
  const old = [
    ...series(fast),
    observation({ totalMs: 99_000, warmup: true }),
    observation({ totalMs: null, outcome: 'timeout', rep: 5 }),
    observation({ totalMs: null, outcome: 'timeout', rep: 6 }),
    observation({ totalMs: 1, outcome: 'qemu-crashed', rep: 7 }),
  ];
  const r = compareRuns([run('old', old), run('new', series(fastAgain))], defaultCompareOptions);
  t.equal(r.runs[0]!.used, 5);
  t.same([...r.runs[0]!.excluded], [['warm-up', 1], ['timeout', 2], ['qemu-crashed', 1]]);
  t.equal(r.times[0]!.pair.old.used.length, 5);
  t.match(formatComparison(r), /old: old \(5 trials used; excluded: 1 warm-up, 2 timeout, 1 qemu-crashed\)/);
});

t.test('a side without a usable trial gives no verdict, says why, and does not throw', async (t) => {
  const failed = [0, 1, 2].map((rep) => observation({ totalMs: null, outcome: 'guest-failed', rep }));
  const r = compareRuns([run('old', series(fast)), run('new', failed)], defaultCompareOptions);
  t.equal(r.times[0]!.comparison, null);
  t.equal(r.regression, false);
  t.match(formatComparison(r), /why UNKNOWN:\n {2}c disks=8 system: no usable trial on the new side/);
});

t.test('counts: compared where measured, side by side; null means not measured, never 0', async (t) => {
  const measured = (routeCommits: number | null, times = fast) => series(times).map((o) => ({ ...o, counts: { ...o.counts, routeCommits } }));
  const r = compareRuns([run('old', measured(4096)), run('new', measured(1))], defaultCompareOptions);
  const routes = r.counts.find((c) => c.name === 'routeCommits');
  t.equal(routes?.comparison?.verdict, 'DIFFERENT');
  t.equal(routes?.comparison?.difference, -4095);
  t.ok(r.unmeasured.includes('irqfdFallbacks') && !r.unmeasured.includes('routeCommits'));
  const oneSide = compareRuns([run('old', measured(4096)), run('new', measured(null))], defaultCompareOptions);
  t.same(
    oneSide.counts.filter((c) => c.name === 'routeCommits').map((c) => c.missing),
    ['new'],
  );
  const none = compareRuns([run('old', series(fast)), run('new', series(fast))], defaultCompareOptions);
  t.notOk(none.counts.some((c) => c.name === 'routeCommits'), 'a count no trial measured gets no row');
  t.ok(none.unmeasured.includes('routeCommits'));
  const text = formatComparison(r);
  t.match(text, /routeCommits\s+4096\s+1\s+DIFFERENT/);
});

t.test('growth exponent per variant when a run sweeps disks', async (t) => {
  // time = 2 ms · disks², with ±1% alternating noise: k ≈ 2.
  const obs = [8, 16, 32, 64].flatMap((disks) =>
    [0, 1, 2].map((rep) => observation({ disks, rep, totalMs: 2 * disks ** 2 * (1 + (rep - 1) * 0.01) })),
  );
  const r = compareRuns([run('sweep', obs)], defaultCompareOptions);
  t.equal(r.times.length, 0, 'one variant: nothing to hold against a baseline');
  t.equal(r.growth.length, 1);
  const g = r.growth[0]!;
  t.same(g.disks, [8, 16, 32, 64]);
  t.ok(Math.abs(g.fit.exponent - 2) < 0.01, `k = ${g.fit.exponent}`);
  t.ok(g.fit.exponentCI!.lower < 2 && g.fit.exponentCI!.upper > 2);
  t.ok(g.fit.r2 > 0.99);
  t.match(formatComparison(r), /growth with the disk count[^\n]*\n.*\n.*\nsweep\s+c\s+system\s+-\s+8,16,32,64\s+2\.00 \[1\.9\d, 2\.0\d\]\s+1\.000\s+12/);
});

t.test('--metric picks the phase', async (t) => {
  const old = series(fast).map((o) => ({ ...o, phases: { ...o.phases, qemuInitMs: 100 + o.rep } }));
  const now = series(fast).map((o) => ({ ...o, phases: { ...o.phases, qemuInitMs: 300 + o.rep } }));
  t.equal(compareRuns([run('a', old), run('b', now)], defaultCompareOptions).times[0]!.comparison?.verdict, 'SAME');
  t.equal(compareRuns([run('a', old), run('b', now)], { ...defaultCompareOptions, metric: 'qemuInitMs' }).times[0]!.comparison?.verdict, 'SLOWER');
});

t.test('the table: medians with CIs, delta with the ratio\'s CI, p, the test, n, verdict', async (t) => {
  const text = formatComparison(compareRuns([run('old', series(fast)), run('new', series(slow))], defaultCompareOptions));
  t.match(text, /^totalMs: median \[95% CI\] in seconds; delta = new\/old - 1 \[95% CI\]; SLOWER\/FASTER need p < 0\.01 and \|delta\| > 5%/);
  t.match(text, /^test: Welch's t-test on log times .* else the Mann-Whitney rank test/m, 'the rule that picks the test');
  t.match(text, /case\s+point\s+variant\s+old s\s+new s\s+delta\s+p\s+test\s+n\s+verdict/);
  // Tidy sides: Welch's test decides, and the delta is the ratio of geometric means (+197.1%,
  // where the medians' ratio is +196.7%).
  t.match(text, /c\s+disks=8\s+system\s+3\.050 \[3\.000, 3\.100\]\s+9\.050 \[8\.950, 9\.200\]\s+\+197\.1% \[\+\d+\.\d%, \+\d+\.\d%\]\s+3\.1e-14\s+Welch on log times\s+5\+5\s+SLOWER/);
  t.match(text, /not measured: routeCommits, routesAdded/);
});
