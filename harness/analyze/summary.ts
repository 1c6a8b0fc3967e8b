/**
 * One-line description of a set of repeated timings of the same thing.
 *
 * The headline is the median with a bootstrap interval (robust to the slow
 * outliers a noisy host produces); IQR and MAD describe spread without being
 * inflated by a single descheduled trial; min/max are kept because the
 * minimum is often the least-noisy estimate of the intrinsic cost and the
 * maximum shows how bad the noise got.
 */
import { bootstrapMedianCI, type BootstrapOptions, type Interval } from './bootstrap.js';
import { MAD_NORMAL_CONSTANT, medianSorted, quantileSorted, sortedCopy } from './robust.js';
import { assertSample } from './validate.js';

/** Summary of one sample. All values are in the units of the input (e.g. ms). */
export interface SampleSummary {
  n: number;
  median: number;
  /** Percentile-bootstrap CI of the median. */
  medianCI: Interval;
  /** First quartile (R type 7). */
  q1: number;
  /** Third quartile (R type 7). */
  q3: number;
  /** q3 - q1. */
  iqr: number;
  /** Median absolute deviation, scaled by 1.4826 (R's `mad()`), i.e. a robust SD. */
  mad: number;
  min: number;
  max: number;
}

/**
 * Summarise a sample of repeated measurements. Throws on an empty sample or
 * non-finite values. Deterministic for a given seed.
 */
export function summarize(xs: readonly number[], opts: BootstrapOptions = {}): SampleSummary {
  assertSample(xs);
  const s = sortedCopy(xs);
  const med = medianSorted(s);
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  const deviations = s.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
  return {
    n: s.length,
    median: med,
    medianCI: bootstrapMedianCI(s, opts),
    q1,
    q3,
    iqr: q3 - q1,
    mad: MAD_NORMAL_CONSTANT * medianSorted(deviations),
    min: s[0]!,
    max: s[s.length - 1]!,
  };
}
