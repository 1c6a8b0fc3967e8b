import t, { type Test } from 'tap';
import {
  createRng,
  exactTwoSidedP,
  exactWDistribution,
  mannWhitneyU,
  midRanks,
  minimumExactP,
} from '../../harness/analyze/index.js';

/** |a - b| <= tol, with a readable message. */
function near(t: Test, got: number, want: number, tol: number, msg: string): void {
  t.ok(Math.abs(got - want) <= tol, `${msg}: got ${got}, want ${want} ± ${tol}`);
}

// --- Published reference values -------------------------------------------

t.test("R ?wilcox.test two-sample example (exact, no ties)", async (t) => {
  // Source: R documentation, stats::wilcox.test examples (Hollander & Wolfe
  // 1973, p. 69): wilcox.test(x, y, alternative = "g") gives W = 35,
  // p-value = 0.1272; the two-sided test gives W = 35, p-value = 0.2544.
  // Cross-checked with scipy 1.17.1 mannwhitneyu(method='exact'):
  // 0.2544122544.
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];
  const r = mannWhitneyU(x, y);
  t.equal(r.w, 35);
  t.equal(r.method, 'exact');
  t.equal(r.ties, false);
  near(t, r.pValue, 0.2544, 5e-5, 'two-sided exact p');
  near(t, r.pValue, 0.2544122544122544, 1e-12, 'matches scipy to 1e-12');
  // The same data with the normal approximation and no continuity
  // correction, as printed by R 'wilcox.test(a, b, exact=FALSE,
  // correct=FALSE)': W = 35, p-value = 0.2207.
  const n = mannWhitneyU(x, y, { exact: false, correct: false });
  t.equal(n.method, 'normal');
  near(t, n.pValue, 0.2207, 5e-5, 'normal approximation without correction');
  // With R's default continuity correction (scipy asymptotic: 0.24462).
  near(t, mannWhitneyU(x, y, { exact: false }).pValue, 0.2446236051, 1e-9, 'normal with correction');
});

t.test('R transcripts with ties (normal approximation, continuity correction)', async (t) => {
  // Source: endmemo.com/r/wilcoxon.php, R output "Wilcoxon rank sum test
  // with continuity correction ... W = 51.5, p-value = 0.5966" and, for the
  // second y, "W = 0, p-value = 0.001364". Both cross-checked with scipy
  // (0.5965969026, 0.0013643930).
  const x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];
  const y = [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5];
  const r = mannWhitneyU(x, y);
  t.equal(r.w, 51.5);
  t.equal(r.method, 'normal');
  t.equal(r.ties, true);
  near(t, r.pValue, 0.5966, 5e-5, 'endmemo example 1');
  near(t, r.pValue, 0.5965969026279817, 1e-9, 'matches scipy');

  const y2 = [1233, 4356, 987, 39999, 1111, 200000];
  const r2 = mannWhitneyU(x, y2);
  t.equal(r2.w, 0);
  t.equal(r2.method, 'normal', 'ties inside x alone force the approximation, as in R');
  near(t, r2.pValue, 0.001364, 5e-7, 'endmemo example 2');

  // Source: pastebin.com/SanDYxZj, R output for
  // wilcox.test(c(9,9.5,9.75,10,13,9.5), c(11.5,12,9,11.5,13.25,13)):
  // "W = 9, p-value = 0.1705" (scipy: 0.1704658650).
  const r3 = mannWhitneyU([9, 9.5, 9.75, 10, 13, 9.5], [11.5, 12, 9, 11.5, 13.25, 13]);
  t.equal(r3.w, 9);
  near(t, r3.pValue, 0.1705, 5e-5, 'pastebin example');
});

t.test('SciPy mannwhitneyu documentation example (exact)', async (t) => {
  // Source: scipy.stats.mannwhitneyu docs (data from Conover): males vs
  // females, U1 = 17.0, exact two-sided p = 0.1111111 (= 14/126).
  const r = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]);
  t.equal(r.w, 17);
  t.equal(r.method, 'exact');
  near(t, r.pValue, 1 / 9, 1e-12, 'exact p');
});

// --- Independent cross-check by brute-force enumeration --------------------

/** All m-subsets of {0..N-1}, calling fn with the subset's rank sum (1-based). */
function forEachSubsetRankSum(N: number, m: number, fn: (rankSum: number) => void): void {
  const pick = (start: number, left: number, sum: number): void => {
    if (left === 0) return fn(sum);
    for (let i = start; i <= N - left; i++) pick(i + 1, left - 1, sum + i + 1);
  };
  pick(0, m, 0);
}

t.test('exact distribution equals brute-force enumeration of rank assignments', async (t) => {
  for (const [m, n] of [
    [1, 1],
    [2, 3],
    [4, 4],
    [3, 7],
    [5, 5],
    [10, 5],
    [7, 7],
  ] as const) {
    const counts = new Array<number>(m * n + 1).fill(0);
    let total = 0;
    forEachSubsetRankSum(m + n, m, (s) => {
      counts[s - (m * (m + 1)) / 2]!++;
      total++;
    });
    const dist = exactWDistribution(m, n);
    const maxErr = Math.max(...counts.map((c, u) => Math.abs(c / total - dist[u]!)));
    t.ok(maxErr < 1e-14, `(${m}, ${n}) max abs error ${maxErr}`);
    // Two-sided p for every possible W against enumeration-based tails.
    let worst = 0;
    for (let w = 0; w <= m * n; w++) {
      const q = Math.min(w, m * n - w);
      let lower = 0;
      for (let u = 0; u <= q; u++) lower += counts[u]!;
      worst = Math.max(worst, Math.abs(Math.min(1, (2 * lower) / total) - exactTwoSidedP(w, m, n)));
    }
    t.ok(worst < 1e-13, `(${m}, ${n}) p-values agree (max error ${worst})`);
  }
});

t.test('exact distribution is symmetric and sums to one for large sizes', async (t) => {
  const d = exactWDistribution(49, 49);
  let sum = 0;
  let asym = 0;
  for (let u = 0; u < d.length; u++) {
    sum += d[u]!;
    asym = Math.max(asym, Math.abs(d[u]! - d[d.length - 1 - u]!));
  }
  t.ok(Math.abs(sum - 1) < 1e-12, `sum ${sum}`);
  t.ok(asym < 1e-15, `symmetry error ${asym}`);
  // 2 / C(98, 49) for complete separation.
  t.ok(Math.abs(exactTwoSidedP(0, 49, 49) / minimumExactP(49, 49) - 1) < 1e-9);
});

// --- Behaviour --------------------------------------------------------------

t.test('R rule for choosing the method', async (t) => {
  const a = Array.from({ length: 49 }, (_, i) => i);
  const b = Array.from({ length: 49 }, (_, i) => i + 0.5);
  t.equal(mannWhitneyU(a, b).method, 'exact', 'both n < 50, no ties');
  t.equal(mannWhitneyU([...a, 100], b).method, 'normal', 'n = 50');
  t.equal(mannWhitneyU([1, 2, 2], [3, 4]).method, 'normal', 'ties');
  t.equal(mannWhitneyU([1, 2, 2], [3, 4], { exact: true }).method, 'normal', 'exact request with ties falls back, as R');
});

t.test('W counts pairs x > y and p is symmetric in the argument order', async (t) => {
  const x = [5, 6, 7];
  const y = [1, 2, 8];
  t.equal(mannWhitneyU(x, y).w, 6);
  t.equal(mannWhitneyU(y, x).w, 3);
  t.equal(mannWhitneyU(x, y).pValue, mannWhitneyU(y, x).pValue);
});

t.test('edge cases', async (t) => {
  const same = mannWhitneyU([3, 3, 3], [3, 3]);
  t.equal(same.pValue, 1, 'all values identical -> no evidence');
  t.equal(mannWhitneyU([1, 2, 3], [4, 5, 6]).pValue, 0.1, '2/C(6,3)');
  t.equal(minimumExactP(3, 3), 0.1);
  t.equal(minimumExactP(4, 4), 2 / 70);
  t.equal(minimumExactP(5, 5), 2 / 252);
  t.throws(() => mannWhitneyU([], [1]));
  t.throws(() => mannWhitneyU([1], [Number.NaN]));
});

t.test('mid-ranks match R rank(ties.method = "average")', async (t) => {
  // rank(c(10, 20, 10, 30, 20, 20)) = 1.5 4.0 1.5 6.0 4.0 4.0
  const r = midRanks([10, 20, 10, 30, 20, 20]);
  t.same(r.ranks, [1.5, 4, 1.5, 6, 4, 4]);
  t.same(r.tieGroups.sort(), [2, 3]);
});

t.test('exact p-values control the false-alarm rate under the null', async (t) => {
  // Not a reference value but a sanity property: with continuous data and
  // n = 5 per side, P(p < 0.05) must be exactly 8/252 = 0.0317.
  const rng = createRng(5);
  let hits = 0;
  const R = 20_000;
  for (let r = 0; r < R; r++) {
    const a = Array.from({ length: 5 }, () => rng.next());
    const b = Array.from({ length: 5 }, () => rng.next());
    if (mannWhitneyU(a, b).pValue < 0.05) hits++;
  }
  near(t, hits / R, 8 / 252, 0.005, 'size of the test');
});
