import { compareTimes, summarize, type TimeComparison } from '../analyze/index.js';
import { inputError } from '../core/errors.js';

/** The two ends of a bisect, measured: what "fast" and "slow" mean for this regression. */
export interface Calibration {
  good: number[];
  bad: number[];
  comparison: TimeComparison;
  /** Geometric mean of the two medians: a commit is fast below it, slow above it. */
  midpoint: number;
}

export type CommitVerdict = 'fast' | 'slow' | 'undecided';

/**
 * The endpoints must differ, with the statistics of `compare`: bad SLOWER than good. A bisect
 * between two commits that measure the same would name a random commit.
 */
export function calibrate(good: number[], bad: number[], opts: { threshold?: number; alpha?: number } = {}): Calibration {
  const comparison = compareTimes(good, bad, opts);
  if (comparison.verdict !== 'SLOWER') {
    const ratio = comparison.ratio.toFixed(2);
    throw inputError(
      `the bad commit is not measurably slower than the good one (median ratio ${ratio}, verdict ${comparison.verdict}: ${comparison.reason}); ` +
        'nothing to bisect with this case and metric (try more disks, another --metric, or more --calibration-runs)',
    );
  }
  return { good, bad, comparison, midpoint: Math.sqrt(comparison.medianOld * comparison.medianNew) };
}

/**
 * A commit is fast when the confidence interval of its median lies below the midpoint, slow
 * when it lies above; otherwise more runs are needed. `final` decides by the median alone,
 * when no more runs are allowed.
 */
export function classifyCommit(samples: number[], cal: Calibration, final = false): { verdict: CommitVerdict; median: number; lower: number; upper: number } {
  const s = summarize(samples);
  const { lower, upper } = s.medianCI;
  let verdict: CommitVerdict = 'undecided';
  if (upper < cal.midpoint) verdict = 'fast';
  else if (lower > cal.midpoint) verdict = 'slow';
  else if (final) verdict = s.median < cal.midpoint ? 'fast' : 'slow';
  return { verdict, median: s.median, lower, upper };
}
