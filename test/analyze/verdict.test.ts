import t from 'tap';
import {
  canReachSignificance,
  compareTimes,
  createRng,
  isDecided,
  minSamplesToDecide,
  samplingAdvice,
  type Rng,
} from '../../harness/analyze/index.js';

/** Lognormal timing noise with occasional "descheduled" slow outliers, as on a busy 2-core host. */
function noisyTimes(rng: Rng, n: number, median: number, sigma: number, outlierRate = 0.1): number[] {
  return Array.from({ length: n }, () => {
    const u = 1 - rng.next();
    const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
    const outlier = rng.next() < outlierRate ? 1 + rng.next() : 1;
    return median * Math.exp(sigma * g) * outlier;
  });
}

/** exp(mean log b - mean log a): the ratio Welch's test on log times estimates. */
function geometricMeanRatio(a: readonly number[], b: readonly number[]): number {
  const meanLog = (xs: readonly number[]) => xs.reduce((s, x) => s + Math.log(x), 0) / xs.length;
  return Math.exp(meanLog(b) - meanLog(a));
}

t.test('8 vs 256 disks with 5 samples each is SLOWER', async (t) => {
  // Start-up seconds (illustrative): 256 disks take ~3.5x as long.
  const disks8 = [1.02, 1.05, 0.99, 1.1, 1.01];
  const disks256 = [3.41, 3.62, 3.3, 3.95, 3.5];
  const c = compareTimes(disks8, disks256);
  t.equal(c.verdict, 'SLOWER', c.reason);
  t.equal(c.test.w, 25, 'every 256-disk trial slower than every 8-disk trial');
  t.ok(c.test.pValue < 0.01, 'the rank test agrees');
  t.equal(c.method, 'welch-log', `both sides' log times look normal: ${c.methodWhy}`);
  t.ok(c.pValue < 0.01);
  t.ok(c.ratioCI.lower > 1);
  t.ok(Math.abs(c.ratio - geometricMeanRatio(disks8, disks256)) < 1e-12, 'the ratio of geometric means');
  t.ok(isDecided(c));
});

t.test('randomised: clearly different samples give SLOWER (and mirrored FASTER)', async (t) => {
  const rng = createRng(2024);
  let slower = 0;
  let faster = 0;
  for (let r = 0; r < 50; r++) {
    const small = noisyTimes(rng, 5, 100, 0.05);
    const big = noisyTimes(rng, 5, 300, 0.05);
    if (compareTimes(small, big, { seed: r, resamples: 2000 }).verdict === 'SLOWER') slower++;
    if (compareTimes(big, small, { seed: r, resamples: 2000 }).verdict === 'FASTER') faster++;
  }
  t.ok(slower >= 48, `SLOWER in ${slower}/50`);
  t.ok(faster >= 48, `FASTER in ${faster}/50`);
});

t.test('"2.3x faster" is reported with a speed-up CI', async (t) => {
  const before = [2.31, 2.28, 2.35, 2.3, 2.44, 2.29];
  const after = [1.0, 1.01, 0.99, 1.04, 1.0, 1.02];
  const c = compareTimes(before, after, { seed: 1 });
  t.equal(c.verdict, 'FASTER', c.reason);
  t.equal(c.method, 'welch-log', c.methodWhy);
  t.ok(Math.abs(c.speedup - 1 / geometricMeanRatio(before, after)) < 1e-12, `speed-up ${c.speedup}`);
  t.ok(c.speedupCI.lower > 2 && c.speedupCI.upper < 2.6, `speed-up CI [${c.speedupCI.lower}, ${c.speedupCI.upper}]`);
  t.ok(Math.abs(c.speedupCI.lower * c.ratioCI.upper - 1) < 1e-12, 'speed-up CI is the inverted ratio CI');
});

t.test('property: self-comparison almost never yields FASTER/SLOWER (200 seeded runs, n = 5)', async (t) => {
  for (const sigma of [0.02, 0.1]) {
    const rng = createRng(77);
    let flagged = 0;
    for (let r = 0; r < 200; r++) {
      const a = noisyTimes(rng, 5, 100, sigma);
      const b = noisyTimes(rng, 5, 100, sigma);
      const v = compareTimes(a, b, { seed: r, resamples: 2000 }).verdict;
      if (v === 'FASTER' || v === 'SLOWER') flagged++;
    }
    // Theory bounds the rate by 2/252 = 0.8% per comparison at alpha 0.01.
    t.ok(flagged / 200 < 0.03, `sigma ${sigma}: ${flagged}/200 flagged`);
  }
  // Even at the textbook alpha = 0.05 the rate stays below 5%.
  const rng = createRng(78);
  let flagged = 0;
  for (let r = 0; r < 200; r++) {
    const v = compareTimes(noisyTimes(rng, 5, 100, 0.1), noisyTimes(rng, 5, 100, 0.1), { seed: r, resamples: 2000, alpha: 0.05 }).verdict;
    if (v === 'FASTER' || v === 'SLOWER') flagged++;
  }
  t.ok(flagged / 200 < 0.05, `alpha 0.05: ${flagged}/200 flagged`);
});

t.test('quiet self-comparison is SAME', async (t) => {
  const rng = createRng(3);
  let same = 0;
  for (let r = 0; r < 50; r++) {
    const c = compareTimes(noisyTimes(rng, 10, 100, 0.01, 0), noisyTimes(rng, 10, 100, 0.01, 0), { seed: r, resamples: 2000 });
    if (c.verdict === 'SAME') same++;
  }
  t.ok(same >= 45, `SAME in ${same}/50`);
  t.equal(compareTimes([5, 5, 5], [5, 5, 5]).verdict, 'SAME', 'identical constant timings');
});

t.test('a significant but negligible shift is SAME, not SLOWER', async (t) => {
  // 2% slower with 0.1% noise: the rank test is certain, but 2% < threshold.
  const old = [100.0, 100.1, 99.9, 100.05, 99.95, 100.02, 99.98, 100.08];
  const neu = old.map((x) => x * 1.02);
  const c = compareTimes(old, neu);
  t.ok(c.test.pValue < 0.001);
  t.equal(c.verdict, 'SAME', c.reason);
});

t.test('a large but noisy shift without enough evidence is UNKNOWN', async (t) => {
  const c = compareTimes([100, 180, 95, 150, 110], [140, 100, 190, 120, 160]);
  t.equal(c.verdict, 'UNKNOWN', c.reason);
  t.notOk(isDecided(c));
});

t.test('minimum sample sizes', async (t) => {
  const c2 = compareTimes([1, 1.01], [5, 5.1]);
  t.equal(c2.verdict, 'UNKNOWN', 'fewer than 3 per side');
  t.match(c2.reason, /at least 3/);
  // 4 vs 4, complete separation, one side with an outlier (so the rank test decides):
  // p = 2/70 = 0.029, enough at 0.05, not at 0.01.
  const a = [1.0, 1.01, 1.0, 1.6];
  const b = [2.0, 2.02, 1.98, 2.01];
  t.equal(compareTimes(a, b).method, 'rank', compareTimes(a, b).methodWhy);
  t.equal(compareTimes(a, b).verdict, 'UNKNOWN');
  t.match(compareTimes(a, b).reason, /no rank test can reach/);
  t.equal(compareTimes(a, b, { alpha: 0.05 }).verdict, 'SLOWER');
  // The same gap with tidy sides goes to Welch's test, which decides at 0.01.
  const tidy = compareTimes([1.0, 1.01, 0.99, 1.02], b);
  t.equal(tidy.method, 'welch-log');
  t.equal(tidy.verdict, 'SLOWER', tidy.reason);
  t.equal(minSamplesToDecide(0.05), 4);
  t.equal(minSamplesToDecide(0.01), 5);
  t.equal(minSamplesToDecide(), 5);
  t.notOk(canReachSignificance(3, 4, 0.05), '2/35 = 0.057');
  t.ok(canReachSignificance(3, 5, 0.05), '2/56 = 0.036');
  t.notOk(canReachSignificance(4, 4, 0.01));
});

t.test('adaptive repetition advice follows 3 -> 5 -> 10 -> 20', async (t) => {
  const base = { alpha: 0.01 } as const;
  t.same(samplingAdvice({ ...base, verdict: 'UNKNOWN', nOld: 2, nNew: 2 }, 20), { stop: false, why: 'continue', nextPerSide: 3 });
  t.same(samplingAdvice({ ...base, verdict: 'UNKNOWN', nOld: 3, nNew: 3 }, 20), { stop: false, why: 'continue', nextPerSide: 5 });
  t.same(samplingAdvice({ ...base, verdict: 'UNKNOWN', nOld: 5, nNew: 5 }, 20), { stop: false, why: 'continue', nextPerSide: 10 });
  t.same(samplingAdvice({ ...base, verdict: 'UNKNOWN', nOld: 10, nNew: 12 }, 15), { stop: false, why: 'continue', nextPerSide: 15 });
  t.same(samplingAdvice({ ...base, verdict: 'UNKNOWN', nOld: 20, nNew: 20 }, 20), { stop: true, why: 'budget', nextPerSide: 20 });
  t.same(samplingAdvice({ ...base, verdict: 'SAME', nOld: 5, nNew: 5 }, 20), { stop: true, why: 'decided', nextPerSide: 5 });
  t.equal(samplingAdvice({ alpha: 0.05, verdict: 'UNKNOWN', nOld: 3, nNew: 3 }, 20).nextPerSide, 4);
});

t.test('property: adaptive self-comparisons stay rare with the doubling schedule', async (t) => {
  const rng = createRng(4242);
  let flagged = 0;
  const R = 100;
  for (let r = 0; r < R; r++) {
    const a = noisyTimes(rng, 5, 100, 0.1, 0);
    const b = noisyTimes(rng, 5, 100, 0.1, 0);
    for (;;) {
      const c = compareTimes(a, b, { seed: r, resamples: 1000 });
      const advice = samplingAdvice(c, 20);
      if (advice.stop) {
        if (c.verdict === 'FASTER' || c.verdict === 'SLOWER') flagged++;
        break;
      }
      a.push(...noisyTimes(rng, advice.nextPerSide - a.length, 100, 0.1, 0));
      b.push(...noisyTimes(rng, advice.nextPerSide - b.length, 100, 0.1, 0));
    }
  }
  // Union bound over 3 looks at alpha 0.01 is 3%; allow Monte Carlo slack.
  t.ok(flagged / R <= 0.05, `${flagged}/${R} flagged`);
});

t.test('reproducible and validated', async (t) => {
  const a = [10, 11, 12, 10.5, 11.5];
  const b = [10.2, 11.1, 12.5, 10.1, 11.9];
  t.same(compareTimes(a, b, { seed: 9 }), compareTimes(a, b, { seed: 9 }));
  t.throws(() => compareTimes([1, 2, 0], [1, 2, 3]), 'durations must be positive');
  t.throws(() => compareTimes([1, 2, 3], [1, 2, 3], { threshold: 0 }));
  t.throws(() => compareTimes([1, 2, 3], [1, 2, 3], { alpha: 1 }));
});
