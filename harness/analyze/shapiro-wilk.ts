/**
 * Shapiro-Wilk test of normality, by Royston's approximation (Applied Statistics algorithm
 * AS R94, 1995), the one R's shapiro.test and scipy.stats.shapiro use, so each W and p here
 * can be checked against them.
 *
 * Why it is here: the verdict picks Welch's t-test on log times only for sides whose log
 * times show no evidence against normality (test-choice.ts). The check looks at each side
 * alone, never at the difference between the sides, so it cannot steer a verdict.
 */
import { normalQuantile, normalSf } from './normal.js';
import { assertSample } from './validate.js';

export interface ShapiroWilkResult {
  /** W in (0, 1]: the squared correlation of the sorted sample with normal order scores. */
  w: number;
  /** Probability of a W this low from a normal sample of this size. */
  pValue: number;
}

export const SHAPIRO_WILK_MIN_N = 3;
export const SHAPIRO_WILK_MAX_N = 5000;

// Royston's polynomial fits, lowest order first: the two largest coefficients' corrections
// (in 1/sqrt(n)), the log(1 - W) bound for n <= 11, and the mean and log sd of the normalising
// transform of W for small (in n) and large (in log n) samples.
const LARGEST_COEFFICIENT = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const SECOND_COEFFICIENT = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const SMALL_N_BOUND = [-2.273, 0.459];
const SMALL_N_MEAN = [0.544, -0.39978, 0.025054, -6.714e-4];
const SMALL_N_LOG_SD = [1.3822, -0.77857, 0.062767, -0.0020322];
const LARGE_N_MEAN = [-1.5861, -0.31082, -0.083751, 0.0038915];
const LARGE_N_LOG_SD = [-0.4803, -0.082676, 0.0030302];

/** c0 + c1·x + c2·x² + ... */
function polynomial(coefficients: readonly number[], x: number): number {
  return coefficients.reduceRight((acc, c) => acc * x + c, 0);
}

/** The weights a_1..a_⌊n/2⌋ of the differences x(n+1-i) - x(i), normalised so 2·Σa² = 1. */
function weights(n: number): number[] {
  const half = Math.floor(n / 2);
  if (n === 3) return [Math.SQRT1_2];
  const m = Array.from({ length: half }, (_, i) => -normalQuantile((i + 1 - 0.375) / (n + 0.25)));
  const sumSquares = 2 * m.reduce((s, v) => s + v * v, 0);
  const root = Math.sqrt(sumSquares);
  const u = 1 / Math.sqrt(n);
  const a1 = polynomial(LARGEST_COEFFICIENT, u) + m[0]! / root;
  if (n <= 5) {
    const scale = Math.sqrt((sumSquares - 2 * m[0]! ** 2) / (1 - 2 * a1 * a1));
    return [a1, ...m.slice(1).map((v) => v / scale)];
  }
  const a2 = polynomial(SECOND_COEFFICIENT, u) + m[1]! / root;
  const scale = Math.sqrt((sumSquares - 2 * m[0]! ** 2 - 2 * m[1]! ** 2) / (1 - 2 * a1 * a1 - 2 * a2 * a2));
  return [a1, a2, ...m.slice(2).map((v) => v / scale)];
}

/** The Shapiro-Wilk test of `sample` (3 to 5000 values, not all equal). */
export function shapiroWilk(sample: readonly number[]): ShapiroWilkResult {
  assertSample(sample, 'Shapiro-Wilk sample');
  const n = sample.length;
  if (n < SHAPIRO_WILK_MIN_N || n > SHAPIRO_WILK_MAX_N) {
    throw new RangeError(`Shapiro-Wilk needs ${SHAPIRO_WILK_MIN_N} to ${SHAPIRO_WILK_MAX_N} values, got ${n}`);
  }
  const x = [...sample].sort((p, q) => p - q);
  const range = x[n - 1]! - x[0]!;
  if (!(range > 0)) throw new RangeError('Shapiro-Wilk needs values that are not all equal');
  const a = weights(n);
  // W as the squared correlation of the scaled sample with the antisymmetric weight vector,
  // keeping 1 - W exact where W is near 1 (its p-value is computed from log(1 - W)).
  const scaled = x.map((v) => v / range);
  const mean = scaled.reduce((s, v) => s + v, 0) / n;
  const weight = (i: number) => (i < a.length ? -a[i]! : i >= n - a.length ? a[n - 1 - i]! : 0);
  let ssa = 0;
  let ssx = 0;
  let sax = 0;
  for (let i = 0; i < n; i++) {
    const wi = weight(i);
    const xi = scaled[i]! - mean;
    ssa += wi * wi;
    ssx += xi * xi;
    sax += wi * xi;
  }
  const root = Math.sqrt(ssa * ssx);
  const oneMinusW = ((root - sax) * (root + sax)) / (ssa * ssx);
  const w = 1 - oneMinusW;
  return { w, pValue: significance(n, w, oneMinusW) };
}

function significance(n: number, w: number, oneMinusW: number): number {
  if (n === 3) {
    // Exact for three values.
    const p = (6 / Math.PI) * (Math.asin(Math.sqrt(w)) - Math.asin(Math.sqrt(0.75)));
    return Math.min(1, Math.max(0, p));
  }
  let y = Math.log(oneMinusW);
  let mean: number;
  let sd: number;
  if (n <= 11) {
    const bound = polynomial(SMALL_N_BOUND, n);
    if (y >= bound) return 1e-99;
    y = -Math.log(bound - y);
    mean = polynomial(SMALL_N_MEAN, n);
    sd = Math.exp(polynomial(SMALL_N_LOG_SD, n));
  } else {
    const logN = Math.log(n);
    mean = polynomial(LARGE_N_MEAN, logN);
    sd = Math.exp(polynomial(LARGE_N_LOG_SD, logN));
  }
  return normalSf((y - mean) / sd);
}
