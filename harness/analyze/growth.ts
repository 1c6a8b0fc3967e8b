/**
 * Growth exponent of a cost against a size (time vs number of disks).
 *
 * If time ≈ c·disks^k then log(time) = log(c) + k·log(disks), so the
 * least-squares slope on log-log axes estimates k: 1 linear, 2 quadratic,
 * 3 cubic. Reviewers can then read "exponent 1.98 [1.91, 2.05]" as "this
 * phase is quadratic in the disk count".
 *
 * Caveats, so the number is not over-read: a constant overhead (firmware,
 * kernel boot) flattens the slope at small sizes, so fit only the range where
 * the phase dominates; and the CI assumes independent, homoscedastic errors
 * on the log scale — roughly true for multiplicative timing noise.
 */
import { type Interval } from './bootstrap.js';
import { linearFit } from './regression.js';
import { medianSorted } from './robust.js';

/** One measurement: x = size (e.g. disks), y = cost (e.g. ms). Both > 0. */
export interface Point {
  x: number;
  y: number;
}

/** How repeated trials at the same x enter the fit. */
export type GrowthAggregation = 'all' | 'median';

/** Options for `growthExponent`. */
export interface GrowthOptions {
  /**
   * 'all' (default): every trial is a point; the CI then reflects trial
   * noise and uses all the degrees of freedom. 'median': one point per
   * distinct x (median y) — robust to outlier trials, but with few sizes the
   * CI is wide (df = sizes - 2).
   */
  aggregate?: GrowthAggregation;
  /** Confidence level of the exponent's CI (default 0.95). */
  level?: number;
}

/** Power-law fit y ≈ scale · x^exponent. */
export interface GrowthFit {
  /** Dimensionless exponent k (1 linear, 2 quadratic, 3 cubic). */
  exponent: number;
  /** t-based CI of k; null with only two points. */
  exponentCI: Interval | null;
  /** R² of the log-log fit. */
  r2: number;
  /** Prefactor c in y's units per x-unit^k: exp(intercept). */
  scale: number;
  /** Number of points fitted (trials, or distinct sizes for 'median'). */
  points: number;
  /** Residual degrees of freedom. */
  df: number;
  aggregate: GrowthAggregation;
}

/** One point per distinct x with the median y, ascending in x. */
export function medianByX(points: readonly Point[]): Point[] {
  const groups = new Map<number, number[]>();
  for (const p of points) {
    const g = groups.get(p.x);
    if (g) g.push(p.y);
    else groups.set(p.x, [p.y]);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([x, ys]) => ({ x, y: medianSorted(ys.sort((a, b) => a - b)) }));
}

/**
 * Least-squares growth exponent of y in x on log-log axes, with R² and a
 * t-based CI. Requires x > 0, y > 0 and at least two distinct x values.
 */
export function growthExponent(points: readonly Point[], opts: GrowthOptions = {}): GrowthFit {
  const aggregate = opts.aggregate ?? 'all';
  for (const p of points) {
    if (!(p.x > 0 && p.y > 0) || !Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      throw new RangeError(`growth fit needs finite x > 0 and y > 0, got (${p.x}, ${p.y})`);
    }
  }
  const used = aggregate === 'median' ? medianByX(points) : points;
  const fit = linearFit(
    used.map((p) => Math.log(p.x)),
    used.map((p) => Math.log(p.y)),
    opts.level ?? 0.95,
  );
  return {
    exponent: fit.slope,
    exponentCI: fit.slopeCI,
    r2: fit.r2,
    scale: Math.exp(fit.intercept),
    points: fit.n,
    df: fit.df,
    aggregate,
  };
}

/**
 * Integer orders (from `candidates`, default 0..4) that lie inside the
 * exponent's CI, e.g. [2] for "quadratic", [1, 2] for "can't tell linear
 * from quadratic yet", [] for "none of the simple orders".
 */
export function consistentOrders(fit: GrowthFit, candidates: readonly number[] = [0, 1, 2, 3, 4]): number[] {
  const ci = fit.exponentCI;
  if (ci === null) return [];
  return candidates.filter((k) => k >= ci.lower && k <= ci.upper);
}
