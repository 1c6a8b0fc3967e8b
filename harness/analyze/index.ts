/**
 * emuflock statistics core: pure functions, no I/O.
 *
 * Typical use:
 *   summarize(times)                      -> median, bootstrap CI, IQR, MAD, min/max
 *   compareTimes(oldTimes, newTimes)      -> ratio new/old with CI, p, verdict; the test (Welch
 *                                            on log times or Mann-Whitney) chosen by chooseTest
 *   samplingAdvice(comparison, maxN)      -> adaptive repetition: stop or grow to nextPerSide
 *   cheapestSizes(have, n, cost, maxN)    -> where the next trials go when one side costs more
 *   compareCounts(oldCounts, newCounts)   -> EQUAL / DIFFERENT / INCONSISTENT
 *   growthExponent(points)                -> k in time ≈ c·disks^k with a 95% CI
 *
 * All randomness is seeded (default DEFAULT_SEED), so every number is
 * reproducible from the recorded timings.
 */
export { createRng, xoshiro128ss, DEFAULT_SEED, type Rng } from './prng.js';
export { median, quantile, iqr, mad, MAD_NORMAL_CONSTANT } from './robust.js';
export {
  bootstrapMedianCI,
  bootstrapMedians,
  percentileInterval,
  DEFAULT_RESAMPLES,
  DEFAULT_LEVEL,
  type Interval,
  type BootstrapOptions,
} from './bootstrap.js';
export { summarize, type SampleSummary } from './summary.js';
export { ratioOfMedians, invertRatio, type RatioEstimate } from './ratio.js';
export { midRanks, type RankResult } from './ranks.js';
export {
  mannWhitneyU,
  exactWDistribution,
  exactTwoSidedP,
  minimumExactP,
  EXACT_MAX_N,
  type MannWhitneyMethod,
  type MannWhitneyOptions,
  type MannWhitneyResult,
} from './mann-whitney.js';
export {
  compareTimes,
  isDecided,
  canReachSignificance,
  minSamplesToDecide,
  samplingAdvice,
  DEFAULT_THRESHOLD,
  DEFAULT_ALPHA,
  MIN_SAMPLES_PER_SIDE,
  type Verdict,
  type CompareOptions,
  type TimeComparison,
  type SamplingAdvice,
} from './verdict.js';
export { cheapestSizes, equivalentPerSide, type Sides } from './allocation.js';
export { compareCounts, type CountVerdict, type CountSide, type CountComparison } from './counts.js';
export { linearFit, type LinearFit } from './regression.js';
export {
  growthExponent,
  medianByX,
  consistentOrders,
  type Point,
  type GrowthAggregation,
  type GrowthOptions,
  type GrowthFit,
} from './growth.js';
export { normalCdf, normalSf, normalQuantile } from './normal.js';
export { shapiroWilk, SHAPIRO_WILK_MIN_N, SHAPIRO_WILK_MAX_N, type ShapiroWilkResult } from './shapiro-wilk.js';
export { welchOnLogs, type WelchLogResult } from './welch.js';
export { chooseTest, testLabels, testRuleText, NORMALITY_ALPHA, type TestName, type TestChoice } from './test-choice.js';
export { studentTCdf, studentTQuantile } from './student-t.js';
export { lnGamma, regularizedIncompleteBeta } from './special.js';
export { changePoints, type ChangePoints, type Step, type StepKind, type StepVerdict } from './change-points.js';
