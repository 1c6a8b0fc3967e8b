/**
 * Welch's t-test on log times: the comparison of two variants as a ratio of geometric means.
 *
 * Start-up times are positive and their spread grows with their size, so their logs are closer
 * to normal with like spreads, and a difference of mean logs is the log of a ratio, which is
 * how every figure here is read (×0.52, ×10.5). Welch's form does not assume equal variances;
 * its degrees of freedom are Welch-Satterthwaite's. Matches scipy.stats.ttest_ind(log(new),
 * log(old), equal_var=False) and R's t.test(log(new), log(old)).
 */
import { type Interval } from './bootstrap.js';
import { studentTCdf, studentTQuantile } from './student-t.js';
import { assertLevel, assertPositiveSample } from './validate.js';

export interface WelchLogResult {
  /** exp(mean log new - mean log old): the ratio of geometric means; < 1 means new is faster. */
  ratio: number;
  /** Its confidence interval: exp of the t interval of the difference of mean logs. */
  ratioCI: Interval;
  t: number;
  /** Welch-Satterthwaite degrees of freedom (fractional). */
  df: number;
  /** Two-sided p-value. */
  pValue: number;
}

function meanAndVariance(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

/**
 * Welch's test of log(newer) against log(older). Each side needs 2 or more values, and at least
 * one side must vary (with no spread anywhere there is no t).
 */
export function welchOnLogs(older: readonly number[], newer: readonly number[], level = 0.95): WelchLogResult {
  assertPositiveSample(older, 'old sample');
  assertPositiveSample(newer, 'new sample');
  assertLevel(level);
  if (older.length < 2 || newer.length < 2) throw new RangeError(`Welch's test needs 2 or more values per side, got ${older.length} and ${newer.length}`);
  const o = meanAndVariance(older.map(Math.log));
  const n = meanAndVariance(newer.map(Math.log));
  const vo = o.variance / older.length;
  const vn = n.variance / newer.length;
  const se = Math.sqrt(vo + vn);
  if (!(se > 0)) throw new RangeError("Welch's test needs some spread in the values");
  const df = (vo + vn) ** 2 / (vo ** 2 / (older.length - 1) + vn ** 2 / (newer.length - 1));
  const difference = n.mean - o.mean;
  const t = difference / se;
  const pValue = Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
  const half = studentTQuantile(1 - (1 - level) / 2, df) * se;
  return {
    ratio: Math.exp(difference),
    ratioCI: { lower: Math.exp(difference - half), upper: Math.exp(difference + half), level },
    t,
    df,
    pValue,
  };
}
