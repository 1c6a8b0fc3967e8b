/**
 * FASTER / SLOWER / SAME / UNKNOWN for a time metric (lower is better).
 *
 * The test is chosen first, by a rule that reads each side alone (test-choice.ts): Welch's
 * t-test on log times where both sides' log times look normal, the Mann-Whitney rank test
 * otherwise. Then (old = baseline, new = candidate, band = [1/(1+threshold), 1+threshold]):
 *   rank test:  r = median(new)/median(old), [lo, hi] = its bootstrap CI, p = Mann-Whitney's;
 *   Welch:      r = ratio of geometric means, [lo, hi] = its t interval, p = Welch's;
 *
 *   UNKNOWN  if either side has fewer than MIN_SAMPLES_PER_SIDE trials;
 *   SLOWER   if p < alpha AND lo > 1 AND r > 1+threshold;
 *   FASTER   if p < alpha AND hi < 1 AND r < 1/(1+threshold);
 *   SAME     if lo >= 1/(1+threshold) AND hi <= 1+threshold;
 *   UNKNOWN  otherwise ("more samples needed").
 *
 * Why three conditions for a change: the rank test controls the false-alarm
 * rate without distributional assumptions (the percentile bootstrap alone
 * under-covers at n = 5); the CI must agree on the direction; and the point
 * estimate must exceed the threshold so that statistically detectable but
 * practically negligible shifts (a 1% drift between two boots) do not get
 * reported as regressions. These gates are the same whichever test decides. SAME is an equivalence statement: the whole CI
 * sits inside the band, so "no meaningful change" is also a claim with
 * evidence, not just absence of significance. The band is symmetric in log
 * space so FASTER and SLOWER are mirror images.
 *
 * Why alpha defaults to 0.01 rather than 0.05: a report compares many
 * (phase, disk count) cells at once, and a self-comparison must essentially
 * never flag. Under the null the exact test's false-alarm rate per cell at
 * n = 5 is 8/252 = 3.2% at alpha 0.05 but 2/252 = 0.79% at 0.01, i.e. at most
 * ~47% vs ~15% chance of some spurious verdict in a 20-cell self-comparison.
 * The threshold gate removes most of these only when noise is well below the
 * threshold; on a noisy host (10% lognormal noise, threshold 5%) simulated
 * self-comparisons flagged 3.5% of cells at alpha 0.05 vs 1.5% at 0.01, and
 * with adaptive repetition (5 -> 10 -> 20 trials) 8.3% vs 1.7%. The price: a
 * change can be called only from 5 trials per side (2/C(10,5) = 0.0079 <
 * 0.01) when the rank test decides; Welch's test can from 3. Pass `alpha: 0.05` for the
 * textbook level.
 */
import { type BootstrapOptions, type Interval } from './bootstrap.js';
import { mannWhitneyU, minimumExactP, type MannWhitneyResult } from './mann-whitney.js';
import { invertRatio, ratioOfMedians, type RatioEstimate } from './ratio.js';
import { median } from './robust.js';
import { chooseTest, testLabels, type TestName } from './test-choice.js';
import { welchOnLogs, type WelchLogResult } from './welch.js';

/** Outcome of comparing a time metric between two variants. */
export type Verdict = 'FASTER' | 'SLOWER' | 'SAME' | 'UNKNOWN';

/** Default practical-significance threshold: 5% change. */
export const DEFAULT_THRESHOLD = 0.05;
/** Default significance level of the Mann-Whitney gate (see module comment). */
export const DEFAULT_ALPHA = 0.01;
/** Below this many trials on either side no verdict is given. */
export const MIN_SAMPLES_PER_SIDE = 3;

/** Options for `compareTimes`; bootstrap options control the ratio CI. */
export interface CompareOptions extends BootstrapOptions {
  /** Relative change that matters, e.g. 0.05 for 5% (default). */
  threshold?: number;
  /** Significance level of the deciding test (default 0.01). */
  alpha?: number;
  /**
   * One test instead of the rule's choice: for studies of each test alone
   * (bench/verdict-study.ts); verdicts shown to users always follow the rule.
   */
  forceTest?: TestName;
}

/** Everything a report needs to justify a verdict. */
export interface TimeComparison {
  verdict: Verdict;
  /** One-sentence explanation of which condition decided the verdict. */
  reason: string;
  nOld: number;
  nNew: number;
  /** Medians in the input's units (e.g. ms). */
  medianOld: number;
  medianNew: number;
  /**
   * new/old as the deciding test reads it, < 1 meaning new is faster: median(new)/median(old)
   * with its bootstrap CI under the rank test, the ratio of geometric means with its t
   * interval under Welch's.
   */
  ratio: number;
  ratioCI: Interval;
  /** median(old) / median(new) and CI, i.e. "N x faster"; > 1 means new is faster. */
  speedup: number;
  speedupCI: Interval;
  /** The test that decided, and why the rule chose it. */
  method: TestName;
  methodWhy: string;
  /** The deciding test's two-sided p-value. */
  pValue: number;
  /** Two-sided test of wilcox.test(new, old): W counts pairs with new > old. Always computed. */
  test: MannWhitneyResult;
  /** Welch's test on log times, when the rule chose it. */
  welch?: WelchLogResult;
  threshold: number;
  alpha: number;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/**
 * Compare timings of a baseline (`oldTimes`) and a candidate (`newTimes`),
 * both in the same units, strictly positive. Deterministic for a given seed.
 * See the module comment for the decision rule.
 */
export function compareTimes(
  oldTimes: readonly number[],
  newTimes: readonly number[],
  opts: CompareOptions = {},
): TimeComparison {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  if (!(threshold > 0)) throw new RangeError(`threshold must be > 0, got ${threshold}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);

  const choice = opts.forceTest ? { test: opts.forceTest, why: 'forced' } : chooseTest(oldTimes, newTimes);
  const test = mannWhitneyU(newTimes, oldTimes);
  const welch = choice.test === 'welch-log' ? welchOnLogs(oldTimes, newTimes, opts.level) : undefined;
  const ratio: RatioEstimate = welch ? { estimate: welch.ratio, ci: welch.ratioCI } : ratioOfMedians(oldTimes, newTimes, opts);
  const speedup = invertRatio(ratio);
  const pValue = welch ? welch.pValue : test.pValue;
  const base = {
    nOld: oldTimes.length,
    nNew: newTimes.length,
    medianOld: median(oldTimes),
    medianNew: median(newTimes),
    ratio: ratio.estimate,
    ratioCI: ratio.ci,
    speedup: speedup.estimate,
    speedupCI: speedup.ci,
    method: choice.test,
    methodWhy: choice.why,
    pValue,
    test,
    ...(welch ? { welch } : {}),
    threshold,
    alpha,
  };
  const decide = (verdict: Verdict, reason: string): TimeComparison => ({ verdict, reason, ...base });

  const hiBand = 1 + threshold;
  const loBand = 1 / hiBand;
  const { lower, upper } = ratio.ci;
  const n = Math.min(base.nOld, base.nNew);
  if (n < MIN_SAMPLES_PER_SIDE) {
    return decide('UNKNOWN', `only ${n} trial(s) on one side; need at least ${MIN_SAMPLES_PER_SIDE}`);
  }
  const by = `${testLabels[choice.test]}: ${choice.why}`;
  const significant = pValue < alpha;
  if (significant && lower > 1 && ratio.estimate > hiBand) {
    return decide('SLOWER', `new/old = ${ratio.estimate.toPrecision(4)} > ${hiBand.toPrecision(4)}, CI above 1, p = ${pValue.toPrecision(3)} < ${alpha} (${by})`);
  }
  if (significant && upper < 1 && ratio.estimate < loBand) {
    return decide('FASTER', `new/old = ${ratio.estimate.toPrecision(4)} < ${loBand.toPrecision(4)}, CI below 1, p = ${pValue.toPrecision(3)} < ${alpha} (${by})`);
  }
  if (lower >= loBand && upper <= hiBand) {
    return decide('SAME', `whole CI [${lower.toPrecision(4)}, ${upper.toPrecision(4)}] within ±${pct(threshold)} (${by})`);
  }
  if (choice.test === 'rank' && !canReachSignificance(base.nOld, base.nNew, alpha)) {
    return decide('UNKNOWN', `with ${base.nOld} vs ${base.nNew} trials no rank test can reach p < ${alpha} (${choice.why}); more samples needed`);
  }
  return decide('UNKNOWN', `inconclusive (p = ${pValue.toPrecision(3)}, CI [${lower.toPrecision(4)}, ${upper.toPrecision(4)}], ${by}); more samples needed`);
}

/** True when the comparison reached a verdict other than UNKNOWN. */
export function isDecided(c: Pick<TimeComparison, 'verdict'>): boolean {
  return c.verdict !== 'UNKNOWN';
}

/**
 * Whether sample sizes (nOld, nNew) can possibly give p < alpha in the exact
 * two-sided rank test (complete separation gives the smallest p, 2/C(m+n,m)).
 * With ties the normal approximation applies and can dip slightly lower, but
 * ties only make separation less extreme, so this is the practical bound.
 */
export function canReachSignificance(nOld: number, nNew: number, alpha: number = DEFAULT_ALPHA): boolean {
  return nOld >= 1 && nNew >= 1 && minimumExactP(nOld, nNew) < alpha;
}

/**
 * Smallest equal per-side sample size at which FASTER/SLOWER become possible:
 * max(MIN_SAMPLES_PER_SIDE, smallest n with 2/C(2n, n) < alpha).
 * 4 for alpha = 0.05 (2/70 = 0.029; n = 3 gives 2/20 = 0.1), 5 for
 * alpha = 0.01 (2/252 = 0.0079).
 */
export function minSamplesToDecide(alpha: number = DEFAULT_ALPHA): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  let n = MIN_SAMPLES_PER_SIDE;
  while (!canReachSignificance(n, n, alpha)) n++;
  return n;
}

/** Advice for an adaptive repetition loop. */
export interface SamplingAdvice {
  /** Stop adding trials. */
  stop: boolean;
  /** 'decided': verdict reached; 'budget': cap hit, verdict stays UNKNOWN; 'continue': add trials. */
  why: 'decided' | 'budget' | 'continue';
  /** Trials per side to have before the next comparison (current count when stopping). */
  nextPerSide: number;
}

/**
 * Adaptive repetition with a geometric look schedule: 3 per side (where
 * Welch's test on log times can decide), then minSamplesToDecide(alpha) (where
 * the rank test can), then double (3 -> 5 -> 10 -> 20 ...) up to `maxPerSide`,
 * re-comparing only at those sizes.
 *
 * Why not re-test after every single trial: each look is another chance for
 * noise to cross the boundary ("optional stopping"). In simulation with 10%
 * noise and alpha 0.01, testing after every trial from 5 to 20 flagged 6.7%
 * of self-comparisons, doubling only 1.7%. With k looks the false-alarm rate
 * is at most k·alpha (union bound), and doubling keeps k ~ log2(max/min)+1.
 */
export function samplingAdvice(
  c: Pick<TimeComparison, 'verdict' | 'nOld' | 'nNew' | 'alpha'>,
  maxPerSide: number,
): SamplingAdvice {
  const n = Math.min(c.nOld, c.nNew);
  if (isDecided(c)) return { stop: true, why: 'decided', nextPerSide: n };
  if (n >= maxPerSide) return { stop: true, why: 'budget', nextPerSide: n };
  // 3 first (Welch's test can decide there), then the rank test's first size, then doubling.
  const start = minSamplesToDecide(c.alpha);
  const next = n < MIN_SAMPLES_PER_SIDE ? MIN_SAMPLES_PER_SIDE : n < start ? start : 2 * n;
  return { stop: false, why: 'continue', nextPerSide: Math.min(maxPerSide, next) };
}
