import t, { type Test } from 'tap';
import { consistentOrders, createRng, growthExponent, linearFit, medianByX } from '../../harness/analyze/index.js';

function near(t: Test, got: number, want: number, tol: number, msg: string): void {
  t.ok(Math.abs(got - want) <= tol, `${msg}: got ${got}, want ${want} ± ${tol}`);
}

// R's built-in `cars` data set (Ezekiel 1930): speed (mph), dist (ft).
const CARS: Array<[number, number]> = [
  [4, 2], [4, 10], [7, 4], [7, 22], [8, 16], [9, 10], [10, 18], [10, 26], [10, 34], [11, 17],
  [11, 28], [12, 14], [12, 20], [12, 24], [12, 28], [13, 26], [13, 34], [13, 34], [13, 46], [14, 26],
  [14, 36], [14, 60], [14, 80], [15, 20], [15, 26], [15, 54], [16, 32], [16, 40], [17, 32], [17, 40],
  [17, 50], [18, 42], [18, 56], [18, 76], [18, 84], [19, 36], [19, 46], [19, 68], [20, 32], [20, 48],
  [20, 52], [20, 56], [20, 64], [22, 66], [23, 54], [24, 70], [24, 92], [24, 93], [24, 120], [25, 85],
];

t.test('linearFit reproduces R summary(lm(dist ~ speed, data = cars))', async (t) => {
  // R output: speed 3.9324 (Std. Error 0.4155), (Intercept) -17.5791,
  // Residual standard error 15.38 on 48 df, Multiple R-squared 0.6511;
  // confint(): speed 3.096964 4.767853.
  const fit = linearFit(CARS.map((p) => p[0]), CARS.map((p) => p[1]));
  near(t, fit.slope, 3.9324, 5e-5, 'slope');
  near(t, fit.intercept, -17.5791, 5e-5, 'intercept');
  near(t, fit.slopeStdError, 0.4155, 5e-5, 'slope SE');
  near(t, fit.residualStdError, 15.38, 5e-3, 'residual SE');
  near(t, fit.r2, 0.6511, 5e-5, 'R²');
  t.equal(fit.df, 48);
  near(t, fit.slopeCI!.lower, 3.096964, 5e-7, 'CI lower');
  near(t, fit.slopeCI!.upper, 4.767853, 5e-7, 'CI upper');
});

t.test('growthExponent on the ?cars log-log model', async (t) => {
  // ?cars example fits lm(log(dist) ~ log(speed)); coefficients and CI
  // cross-checked with scipy.stats.linregress: slope 1.602391, R² 0.733144,
  // 95% CI [1.321832, 1.882950] (physics says braking distance ~ speed^2,
  // reaction distance ~ speed^1, so between 1 and 2 is expected).
  const g = growthExponent(CARS.map(([x, y]) => ({ x, y })));
  near(t, g.exponent, 1.6023912064, 1e-9, 'exponent');
  near(t, g.r2, 0.7331444393, 1e-9, 'R²');
  near(t, g.exponentCI!.lower, 1.3218320312, 1e-8, 'CI lower');
  near(t, g.exponentCI!.upper, 1.8829503817, 1e-8, 'CI upper');
  near(t, g.scale, Math.exp(-0.72966874997), 1e-9, 'scale');
  t.same(consistentOrders(g), [], 'neither linear nor quadratic fits within the CI');
});

t.test('exact power laws give their exponent with R² = 1', async (t) => {
  const disks = [1, 8, 64, 256, 1024, 4096];
  for (const k of [1, 2, 3]) {
    const g = growthExponent(disks.map((x) => ({ x, y: 0.37 * x ** k })));
    near(t, g.exponent, k, 1e-12, `y = c·x^${k}`);
    near(t, g.r2, 1, 1e-12, 'R²');
    near(t, g.scale, 0.37, 1e-10, 'scale');
    t.ok(g.exponentCI!.upper - g.exponentCI!.lower < 1e-9, 'zero-width CI');
  }
});

t.test('noisy quadratic with repeated trials: both aggregations', async (t) => {
  const rng = createRng(11);
  const points = [];
  for (const x of [8, 16, 32, 64, 128, 256, 512, 1024]) {
    for (let trial = 0; trial < 5; trial++) {
      const noise = Math.exp(0.1 * (rng.next() + rng.next() + rng.next() - 1.5));
      points.push({ x, y: 0.002 * x * x * noise });
    }
  }
  const all = growthExponent(points);
  const med = growthExponent(points, { aggregate: 'median' });
  t.equal(all.points, 40);
  t.equal(all.df, 38);
  t.equal(med.points, 8);
  t.equal(med.df, 6);
  t.equal(med.aggregate, 'median');
  for (const g of [all, med]) {
    near(t, g.exponent, 2, 0.03, `exponent (${g.aggregate})`);
    t.same(consistentOrders(g), [2], `reads as quadratic (${g.aggregate})`);
    t.ok(g.r2 > 0.99);
  }
});

t.test('medianByX groups repeated sizes', async (t) => {
  t.same(
    medianByX([
      { x: 2, y: 5 },
      { x: 1, y: 3 },
      { x: 2, y: 1 },
      { x: 2, y: 100 },
      { x: 1, y: 4 },
    ]),
    [
      { x: 1, y: 3.5 },
      { x: 2, y: 5 },
    ],
  );
});

t.test('degenerate and invalid input', async (t) => {
  const two = growthExponent([
    { x: 1, y: 1 },
    { x: 10, y: 100 },
  ]);
  near(t, two.exponent, 2, 1e-12, 'two points still give an exponent');
  t.equal(two.exponentCI, null, 'but no CI');
  t.same(consistentOrders(two), []);
  t.throws(() => growthExponent([{ x: 0, y: 1 }, { x: 1, y: 1 }]), 'x must be > 0');
  t.throws(() => growthExponent([{ x: 1, y: -1 }, { x: 2, y: 1 }]), 'y must be > 0');
  t.throws(() => growthExponent([{ x: 5, y: 1 }, { x: 5, y: 2 }]), 'needs two distinct x');
  t.throws(() => linearFit([1, 2], [1]));
  t.ok(Number.isNaN(linearFit([1, 2, 3], [4, 4, 4]).r2), 'R² undefined for constant y');
});
