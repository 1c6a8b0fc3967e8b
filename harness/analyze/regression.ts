/**
 * Ordinary least-squares line y = intercept + slope·x with the classical
 * t-based confidence interval of the slope (as R's `confint(lm(y ~ x))`).
 *
 * Sums are taken about the means (two-pass) rather than with the textbook
 * Σx², (Σx)² shortcut, which cancels catastrophically when x values are large
 * and close together.
 */
import { type Interval } from './bootstrap.js';
import { studentTQuantile } from './student-t.js';
import { assertLevel, assertSample } from './validate.js';

/** Result of a simple linear regression. Units follow x and y. */
export interface LinearFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination in [0, 1]; NaN when y has no variance. */
  r2: number;
  /** Number of points used. */
  n: number;
  /** Residual degrees of freedom, n - 2. */
  df: number;
  /** Standard error of the slope; NaN when df = 0. */
  slopeStdError: number;
  /** Residual standard error sqrt(SSE/df); NaN when df = 0. */
  residualStdError: number;
  /** t-based CI of the slope; null when df = 0 (two points determine the line exactly). */
  slopeCI: Interval | null;
}

/**
 * Fit y = intercept + slope·x by least squares. Needs at least two distinct
 * x values. `level` is the slope CI's confidence level (default 0.95).
 */
export function linearFit(x: readonly number[], y: readonly number[], level = 0.95): LinearFit {
  assertSample(x, 'x');
  assertSample(y, 'y');
  assertLevel(level);
  if (x.length !== y.length) throw new RangeError(`x and y lengths differ (${x.length} vs ${y.length})`);
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) throw new RangeError('need at least two distinct x values to fit a slope');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i]! - (intercept + slope * x[i]!);
    sse += r * r;
  }
  const r2 = syy > 0 ? Math.max(0, 1 - sse / syy) : Number.NaN;
  const df = n - 2;
  if (df === 0) {
    return { slope, intercept, r2, n, df, slopeStdError: Number.NaN, residualStdError: Number.NaN, slopeCI: null };
  }
  const residualStdError = Math.sqrt(sse / df);
  const slopeStdError = residualStdError / Math.sqrt(sxx);
  const t = studentTQuantile((1 + level) / 2, df);
  return {
    slope,
    intercept,
    r2,
    n,
    df,
    slopeStdError,
    residualStdError,
    slopeCI: { lower: slope - t * slopeStdError, upper: slope + t * slopeStdError, level },
  };
}
