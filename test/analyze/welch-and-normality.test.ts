import t, { type Test } from 'tap';
import { chooseTest, compareTimes, normalQuantile, shapiroWilk, welchOnLogs } from '../../harness/analyze/index.js';

/** |got - want| <= tol·max(1, |want|), with a readable message. */
function near(t: Test, got: number, want: number, tol: number, msg: string): void {
  t.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${msg}: got ${got}, want ${want} (tolerance ${tol})`);
}

t.test('normal quantile against scipy 1.10.1 stats.norm.ppf', async (t) => {
  const want: [number, number][] = [
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.02, -2.053748910631823],
    [0.3, -0.5244005127080409],
    [0.5, 0],
    [0.9, 1.2815515655446004],
    [0.975, 1.959963984540054],
    [0.9999, 3.719016485455709],
  ];
  // 1e-12, but 1e-10 in the far tail, where normalCdf itself (the Halley step's reference) is
  // good to about 1e-10 relative.
  for (const [p, z] of want) near(t, normalQuantile(p), z, p < 1e-6 ? 1e-10 : 1e-12, `ppf(${p})`);
  t.throws(() => normalQuantile(0), RangeError);
  t.throws(() => normalQuantile(1), RangeError);
});

t.test('Shapiro-Wilk against scipy 1.10.1 stats.shapiro (which computes in single precision: 1e-5)', async (t) => {
  // Each row: the sample, then scipy's W and p.
  const want: [number[], number, number][] = [
    [[2.1, 3.4, 9.0], 0.8853830099105835, 0.3403778672218323],
    [[148.2, 151.9, 139.5, 160.3, 144.8], 0.9870086908340454, 0.9682059288024902],
    [[1.0, 1.1, 1.2, 1.3, 1.5, 2.0, 3.5, 9.0], 0.6385554671287537, 0.0004464848607312888],
    [[10.1, 9.8, 10.4, 10.0, 9.9, 10.2, 10.3, 9.7, 10.6, 10.05, 9.95, 14.0], 0.5374663472175598, 3.38415484293364e-5],
    [[1.0, 2.828, 5.196, 8.0, 11.18, 14.697, 18.52, 22.627, 27.0, 31.623, 36.483, 41.569, 46.872, 52.383, 58.095, 64.0, 70.093, 76.368, 82.819, 89.443], 0.93863844871521, 0.22595609724521637],
  ];
  for (const [sample, w, p] of want) {
    const r = shapiroWilk(sample);
    near(t, r.w, w, 1e-5, `W of ${sample.length} values`);
    t.ok(Math.abs(r.pValue - p) <= 1e-4 * Math.max(p, 1e-3), `p of ${sample.length} values: got ${r.pValue}, want ${p}`);
  }
  t.equal(shapiroWilk([3, 1, 2]).w, shapiroWilk([1, 2, 3]).w, 'order does not matter');
  t.throws(() => shapiroWilk([1, 2]), /3 to 5000/);
  t.throws(() => shapiroWilk([4, 4, 4]), /not all equal/);
});

t.test("Welch's test on log times against scipy 1.10.1 stats.ttest_ind(log new, log old, equal_var=False)", async (t) => {
  // df, ratio and interval from the same logs by Welch-Satterthwaite and stats.t.ppf(0.975, df).
  const tenfold = welchOnLogs([14.9, 15.3, 14.6], [1.41, 1.52, 1.38]);
  near(t, tenfold.t, -72.56065525397597, 1e-10, 't, 3 + 3 tenfold');
  near(t, tenfold.pValue, 1.0648787062331935e-5, 1e-9, 'p, 3 + 3 tenfold');
  near(t, tenfold.df, 2.819421715844565, 1e-12, 'df');
  near(t, tenfold.ratio, 0.09613991725240965, 1e-12, 'ratio of geometric means');
  near(t, tenfold.ratioCI.lower, 0.08642394650246987, 1e-9, 'CI lower');
  near(t, tenfold.ratioCI.upper, 0.10694817887118849, 1e-9, 'CI upper');
  const small = welchOnLogs([2.31, 2.45, 2.28, 2.6, 2.39], [2.41, 2.52, 2.36, 2.49, 2.7, 2.44, 2.58]);
  near(t, small.t, 1.3314784610711028, 1e-10, 't, 5 + 7');
  near(t, small.pValue, 0.220142761049631, 1e-9, 'p, 5 + 7');
  near(t, small.df, 7.905704623079838, 1e-12, 'df, 5 + 7');
  near(t, small.ratioCI.lower, 0.9720464535179419, 1e-9, 'CI lower, 5 + 7');
  near(t, small.ratioCI.upper, 1.111205132445385, 1e-9, 'CI upper, 5 + 7');
  t.throws(() => welchOnLogs([1], [2, 3]), /2 or more/);
  t.throws(() => welchOnLogs([2, 2], [2, 2]), /spread/);
});

t.test('the rule picks the test from each side alone', async (t) => {
  t.equal(chooseTest([14.9, 15.3, 14.6], [1.41, 1.52, 1.38]).test, 'welch-log', 'two tidy sides: Welch');
  const outlier = [10.1, 9.8, 10.4, 10.0, 9.9, 10.2, 10.3, 9.7, 10.6, 10.05, 9.95, 14.0];
  const choice = chooseTest(outlier, [10, 10.2, 9.9, 10.1, 10.3, 10.15, 9.95, 10.05]);
  t.equal(choice.test, 'rank', 'a side with an outlier: the rank test');
  t.match(choice.why, /old side's log times not normal \(Shapiro-Wilk p/);
  t.match(chooseTest([1, 2], [3, 4, 5]).why, /fewer than 3/);
  // An adaptive plan grown on its cheap side (3 slow + 10 fast): cut for the rank test, decided by it.
  const slow = [49110, 37250, 73340];
  const fast = [14590, 11780, 15640, 16780, 16150, 18880, 18110, 12960, 10950, 9980];
  t.same(chooseTest(slow, fast), { test: 'rank', why: 'sides of unequal size (3 and 10)' });
  const grown = compareTimes(slow, fast);
  t.equal(grown.verdict, 'FASTER', `every fast trial below every slow one: ${grown.reason}`);
  t.equal(chooseTest(slow, fast.slice(0, 6)).test, 'welch-log', 'up to twice the other side: Welch');
  t.match(chooseTest([5, 5, 5], [3, 4, 5]).why, /all equal/);
  // Swapping or scaling one side (the difference between sides) cannot change the choice.
  const a = [14.9, 15.3, 14.6, 15.8];
  const b = [1.41, 1.52, 1.38, 1.44];
  t.same(chooseTest(a, b).test, chooseTest(a, b.map((x) => x * 10)).test);
  t.same(chooseTest(a, b).test, chooseTest(b, a).test);
});

t.test('a tenfold change is decided at 3 + 3 and says which test decided', async (t) => {
  const c = compareTimes([14.9, 15.3, 14.6], [1.41, 1.52, 1.38]);
  t.equal(c.verdict, 'FASTER');
  t.equal(c.method, 'welch-log');
  near(t, c.pValue, 1.0648787062331935e-5, 1e-9, 'p is Welch’s');
  near(t, c.ratio, 0.09613991725240965, 1e-12, 'ratio of geometric means');
  t.match(c.reason, /Welch on log times: log times normal/);
  t.ok(c.test.pValue >= 0.1, 'the rank test alone could not have decided (its smallest p at 3 + 3 is 0.1)');
  // The same data with an outlier on one side go to the rank test, which cannot decide at 3 + 3 + 9.
  const skewed = compareTimes([1.0, 1.1, 1.2, 1.3, 1.5, 2.0, 3.5, 9.0], [0.5, 0.52, 0.55]);
  t.equal(skewed.method, 'rank');
  t.match(skewed.reason, /rank test|rank/);
});
