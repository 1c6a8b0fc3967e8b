import t from 'tap';
import { bootstrapMedianCI, createRng, median } from '../../harness/analyze/index.js';

function lognormalSample(n: number, seed: number, m = 100, sigma = 0.1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - rng.next();
    const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
    return m * Math.exp(sigma * g);
  });
}

t.test('same seed -> same interval; different seed -> (slightly) different', async (t) => {
  const xs = lognormalSample(20, 3);
  const a = bootstrapMedianCI(xs, { seed: 42 });
  const b = bootstrapMedianCI(xs, { seed: 42 });
  t.same(a, b);
  const shuffled = [...xs].reverse();
  t.same(bootstrapMedianCI(shuffled, { seed: 42 }), a, 'input order does not matter');
  const c = bootstrapMedianCI(xs, { seed: 43 });
  t.ok(Math.abs(c.lower - a.lower) / a.lower < 0.05, 'Monte Carlo error is small');
});

t.test('property: the CI contains the sample median (200 random samples)', async (t) => {
  let failures = 0;
  for (let seed = 0; seed < 200; seed++) {
    const n = 3 + (seed % 30);
    const xs = lognormalSample(n, seed, 50, 0.3);
    const ci = bootstrapMedianCI(xs, { seed, resamples: 2000 });
    const m = median(xs);
    if (!(ci.lower <= m && m <= ci.upper && ci.lower >= Math.min(...xs) && ci.upper <= Math.max(...xs))) failures++;
  }
  t.equal(failures, 0);
});

t.test('coverage of the true median is near nominal for n = 20', async (t) => {
  // True median of the lognormal is m = 100. The percentile bootstrap of a
  // median is known to be somewhat liberal/discrete; accept 88-99%.
  let covered = 0;
  const R = 300;
  for (let r = 0; r < R; r++) {
    const ci = bootstrapMedianCI(lognormalSample(20, 1000 + r), { seed: r, resamples: 2000 });
    if (ci.lower <= 100 && 100 <= ci.upper) covered++;
  }
  t.ok(covered / R > 0.88 && covered / R < 0.99, `coverage ${covered / R}`);
});

t.test('degenerate samples', async (t) => {
  t.same(bootstrapMedianCI([7]), { lower: 7, upper: 7, level: 0.95 });
  t.same(bootstrapMedianCI([5, 5, 5, 5]), { lower: 5, upper: 5, level: 0.95 });
  t.throws(() => bootstrapMedianCI([]));
  t.throws(() => bootstrapMedianCI([1, 2], { resamples: 0 }));
  t.throws(() => bootstrapMedianCI([1, 2], { level: 1 }));
});
