/**
 * Ratio of medians between two variants with a bootstrap interval.
 *
 * A ratio (new/old) rather than a difference because reviewers reason in
 * relative terms ("2.3x faster", "5% slower") and because the noise of a
 * timing scales roughly with its size, so ratios are comparable across disk
 * counts that differ by orders of magnitude.
 *
 * Each group is resampled independently (the trials of the two variants are
 * not paired), and the interval is the percentile interval of the ratio of
 * the resampled medians.
 */
import {
  bootstrapMedians,
  percentileInterval,
  resolveBootstrapOptions,
  type BootstrapOptions,
  type Interval,
} from './bootstrap.js';
import { median } from './robust.js';
import { assertPositiveSample } from './validate.js';

/** A dimensionless ratio with its confidence interval. */
export interface RatioEstimate {
  /** Point estimate, e.g. median(new) / median(old). */
  estimate: number;
  ci: Interval;
}

/**
 * median(newer) / median(older) with a percentile-bootstrap CI.
 * Values must be strictly positive (durations). For a time metric a ratio
 * below 1 means `newer` is faster. Deterministic for a given seed.
 */
export function ratioOfMedians(
  older: readonly number[],
  newer: readonly number[],
  opts: BootstrapOptions = {},
): RatioEstimate {
  assertPositiveSample(older, 'old sample');
  assertPositiveSample(newer, 'new sample');
  const { resamples, rng, level } = resolveBootstrapOptions(opts);
  // Old first, then new, on one stream: fixed order keeps results reproducible.
  const oldMedians = bootstrapMedians(older, resamples, rng);
  const newMedians = bootstrapMedians(newer, resamples, rng);
  const ratios = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) ratios[b] = newMedians[b]! / oldMedians[b]!;
  return { estimate: median(newer) / median(older), ci: percentileInterval(ratios, level) };
}

/**
 * Invert a ratio estimate (new/old -> old/new), e.g. to report a speed-up
 * factor. Bounds swap because 1/x is decreasing.
 */
export function invertRatio(r: RatioEstimate): RatioEstimate {
  return {
    estimate: 1 / r.estimate,
    ci: { lower: 1 / r.ci.upper, upper: 1 / r.ci.lower, level: r.ci.level },
  };
}
