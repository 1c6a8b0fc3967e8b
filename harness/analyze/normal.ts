/**
 * Standard normal distribution function, for the large-sample / tied
 * Mann-Whitney approximation.
 *
 * Algorithm: Hart (1968) double-precision rational approximation as
 * presented by G. West, "Better approximations to cumulative normal
 * functions" (Wilmott, 2005); absolute error around 1e-14 (relative error
 * in the far tail ~1e-10 at z = 5, ~1e-8 at z = 10), far below what a
 * p-value needs. We evaluate the lower tail of -|z| directly so small tail
 * probabilities do not suffer cancellation from computing 1 - Phi(z).
 */

/** Phi(z) = P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const a = Math.abs(z);
  let tail: number;
  if (a > 37) {
    tail = 0;
  } else {
    const e = Math.exp((-a * a) / 2);
    if (a < 7.07106781186547) {
      let num = 3.52624965998911e-2 * a + 0.700383064443688;
      num = num * a + 6.37396220353165;
      num = num * a + 33.912866078383;
      num = num * a + 112.079291497871;
      num = num * a + 221.213596169931;
      num = num * a + 220.206867912376;
      let den = 8.83883476483184e-2 * a + 1.75566716318264;
      den = den * a + 16.064177579207;
      den = den * a + 86.7807322029461;
      den = den * a + 296.564248779674;
      den = den * a + 637.333633378831;
      den = den * a + 793.826512519948;
      den = den * a + 440.413735824752;
      tail = (e * num) / den;
    } else {
      // Continued fraction for the far tail.
      let cf = a + 0.65;
      cf = a + 4 / cf;
      cf = a + 3 / cf;
      cf = a + 2 / cf;
      cf = a + 1 / cf;
      tail = e / cf / 2.506628274631;
    }
  }
  return z > 0 ? 1 - tail : tail;
}

/** Upper tail P(Z > z), accurate for large z. */
export function normalSf(z: number): number {
  return normalCdf(-z);
}

// Acklam's rational approximation to the normal quantile (relative error 1.15e-9), split at
// the tails where a different fit holds; one Halley step against normalCdf then brings it to
// the accuracy of normalCdf itself (~1e-14), which the Shapiro-Wilk coefficients inherit.
const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const ACKLAM_TAIL = 0.02425;

/** Horner's rule, highest coefficient first. */
function horner(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((acc, c) => acc * x + c, 0);
}

/** z such that Phi(z) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs 0 < p < 1, got ${p}`);
  let z: number;
  if (p < ACKLAM_TAIL || p > 1 - ACKLAM_TAIL) {
    const q = Math.sqrt(-2 * Math.log(Math.min(p, 1 - p)));
    const tail = horner(ACKLAM_C, q) / (horner(ACKLAM_D, q) * q + 1);
    z = p < ACKLAM_TAIL ? tail : -tail;
  } else {
    const q = p - 0.5;
    const r = q * q;
    z = (horner(ACKLAM_A, r) * q) / (horner(ACKLAM_B, r) * r + 1);
  }
  const e = normalCdf(z) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((z * z) / 2);
  return z - u / (1 + (z * u) / 2);
}
