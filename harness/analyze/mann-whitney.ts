/**
 * Two-sided Mann-Whitney U (Wilcoxon rank-sum) test, matching R's
 * `wilcox.test(x, y)` defaults so reviewers can reproduce every p-value.
 *
 * Why a rank test: it makes no normality assumption (timings are skewed and
 * outlier-prone) and one wild trial moves only one rank.
 *
 * - Statistic: W = (sum of ranks of x) - n_x(n_x+1)/2, i.e. the number of
 *   pairs with x_i > y_j, ties counting 1/2 — what R prints as "W".
 * - p-value: exact null distribution when both samples have fewer than 50
 *   values and there are no ties (R's rule); otherwise the normal
 *   approximation with tie-corrected variance and a 0.5 continuity
 *   correction (R's `correct = TRUE`).
 */
import { normalCdf } from './normal.js';
import { midRanks } from './ranks.js';
import { assertSample } from './validate.js';

/** How the p-value was obtained. */
export type MannWhitneyMethod = 'exact' | 'normal';

/** Options mirroring R's `exact` and `correct` arguments. */
export interface MannWhitneyOptions {
  /**
   * true: exact distribution whenever there are no ties (with ties the
   * exact null distribution does not apply and, like R, we fall back to the
   * normal approximation); false: always the normal approximation;
   * undefined: R's rule (exact iff n_x < 50, n_y < 50 and no ties).
   * Forcing exact for large samples costs O(n_x·n_y·min(W, n_x·n_y - W)).
   */
  exact?: boolean;
  /** Continuity correction in the normal approximation (default true, as in R). */
  correct?: boolean;
}

/** Result of a two-sided Mann-Whitney test. */
export interface MannWhitneyResult {
  /** R's W: number of (x_i, y_j) pairs with x_i > y_j, ties counted 1/2. */
  w: number;
  /** Two-sided p-value in [0, 1]. */
  pValue: number;
  method: MannWhitneyMethod;
  /** Whether the pooled sample contains tied values. */
  ties: boolean;
  /** Standardised statistic of the normal approximation (NaN for the exact method). */
  z: number;
  nx: number;
  ny: number;
}

/** R switches to the normal approximation at 50 values per sample. */
export const EXACT_MAX_N = 49;

/**
 * Exact null distribution of W for sample sizes (m, n): P(W = u) for
 * u = 0..maxU. Uses the recurrence on the largest pooled value — it belongs
 * to x with probability m/(m+n) and then beats all n y's:
 *   P_{m,n}(u) = m/(m+n) · P_{m-1,n}(u-n) + n/(m+n) · P_{m,n-1}(u).
 * Working with probabilities instead of counts avoids C(98,49) ≈ 2.5e28
 * overflowing exact integer range, and every term is a positive weight, so
 * there is no cancellation. Only u <= maxU is tracked because the two-sided
 * p-value needs just the lower tail; cost O(m·n·maxU).
 */
export function exactWDistribution(m: number, n: number, maxU: number = m * n): Float64Array {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 0) {
    throw new RangeError(`sample sizes must be non-negative integers, got ${m}, ${n}`);
  }
  const width = Math.min(maxU, m * n) + 1;
  // dist[i] holds P_{i,j} for the current j. Updating in place with i
  // ascending is valid: P_{i,j} needs P_{i-1,j} (already advanced to row j)
  // and P_{i,j-1} (the value being overwritten).
  const dist: Float64Array[] = [];
  for (let i = 0; i <= m; i++) {
    const d = new Float64Array(width);
    d[0] = 1; // with no y values W is 0; with no x values likewise
    dist.push(d);
  }
  for (let j = 1; j <= n; j++) {
    for (let i = 1; i <= m; i++) {
      const d = dist[i]!;
      const fromX = dist[i - 1]!;
      const px = i / (i + j);
      const py = j / (i + j);
      for (let u = 0; u < width; u++) {
        d[u] = py * d[u]! + (u >= j ? px * fromX[u - j]! : 0);
      }
    }
  }
  return dist[m]!;
}

/** Exact two-sided p-value for W with sample sizes m, n (no ties), as R's pwilcox-based rule. */
export function exactTwoSidedP(w: number, m: number, n: number): number {
  // The null distribution is symmetric about mn/2, so the two-sided p-value
  // is twice the lower tail at the nearer end.
  const q = Math.min(w, m * n - w);
  const dist = exactWDistribution(m, n, Math.floor(q));
  let lower = 0;
  for (let u = 0; u <= q; u++) lower += dist[u]!;
  return Math.min(1, 2 * lower);
}

/**
 * Two-sided Mann-Whitney U test of `x` against `y`. Returns W and the
 * p-value (see module comment for the method). Throws on empty or
 * non-finite input.
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  opts: MannWhitneyOptions = {},
): MannWhitneyResult {
  assertSample(x, 'x');
  assertSample(y, 'y');
  const nx = x.length;
  const ny = y.length;
  const { ranks, tieGroups } = midRanks([...x, ...y]);
  let rankSumX = 0;
  for (let i = 0; i < nx; i++) rankSumX += ranks[i]!;
  const w = rankSumX - (nx * (nx + 1)) / 2;
  const ties = tieGroups.length > 0;

  const wantExact = opts.exact ?? (nx <= EXACT_MAX_N && ny <= EXACT_MAX_N);
  if (wantExact && !ties) {
    return { w, pValue: exactTwoSidedP(w, nx, ny), method: 'exact', ties, z: Number.NaN, nx, ny };
  }

  const N = nx + ny;
  const tieTerm = tieGroups.reduce((acc, t) => acc + (t * t * t - t), 0);
  const sigma = Math.sqrt(((nx * ny) / 12) * (N + 1 - tieTerm / (N * (N - 1))));
  const centred = w - (nx * ny) / 2;
  if (sigma === 0) {
    // Every pooled value identical: no evidence of any shift. (R yields NaN.)
    return { w, pValue: 1, method: 'normal', ties, z: 0, nx, ny };
  }
  const correction = (opts.correct ?? true) ? Math.sign(centred) * 0.5 : 0;
  const z = (centred - correction) / sigma;
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  return { w, pValue, method: 'normal', ties, z, nx, ny };
}

/**
 * Smallest two-sided exact p-value attainable with sample sizes m, n
 * (every x above every y): 2 / C(m+n, m). A comparison cannot reach
 * significance level alpha unless this is below alpha.
 */
export function minimumExactP(m: number, n: number): number {
  let c = 1;
  for (let k = 1; k <= m; k++) c = (c * (n + k)) / k;
  return Math.min(1, 2 / c);
}
