/**
 * Order-statistic summaries (median, quantiles, IQR, MAD).
 *
 * Timings on a shared 2-core host have a heavy right tail (a trial that got
 * descheduled is slow, never fast), so the mean is dragged by outliers while
 * the median and the quartiles are not. Everything here is rank-based.
 */
import { assertSample } from './validate.js';

/** Ascending numeric copy; the input is never mutated. */
export function sortedCopy(xs: readonly number[]): number[] {
  return Array.from(xs).sort((a, b) => a - b);
}

/**
 * Quantile of already-sorted data by linear interpolation between order
 * statistics — R's default `quantile(type = 7)`, so numbers match what a
 * reviewer gets from R or numpy.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Quantile (R type 7) of unsorted data, same units as the data. */
export function quantile(xs: readonly number[], p: number): number {
  assertSample(xs);
  return quantileSorted(sortedCopy(xs), p);
}

/** Median of sorted data (mean of the two middle values when n is even). */
export function medianSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('median of an empty sample');
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median, same units as the data. */
export function median(xs: readonly number[]): number {
  assertSample(xs);
  return medianSorted(sortedCopy(xs));
}

/** Interquartile range Q3 - Q1 (type-7 quartiles), same units as the data. */
export function iqr(xs: readonly number[]): number {
  assertSample(xs);
  const s = sortedCopy(xs);
  return quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
}

/**
 * Scale factor that makes the MAD estimate the standard deviation for
 * normal data (1 / Phi^-1(3/4)); R's `mad()` uses the same constant.
 */
export const MAD_NORMAL_CONSTANT = 1.4826;

/**
 * Median absolute deviation from the median, multiplied by `constant`
 * (default 1.4826, matching R's `mad()`); pass 1 for the raw MAD.
 * Same units as the data.
 */
export function mad(xs: readonly number[], constant: number = MAD_NORMAL_CONSTANT): number {
  assertSample(xs);
  const m = median(xs);
  return constant * median(xs.map((x) => Math.abs(x - m)));
}
