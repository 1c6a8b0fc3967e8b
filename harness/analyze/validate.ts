/**
 * Input checks shared by the statistics modules.
 *
 * A NaN or Infinity in a timing (a crashed trial, a parse failure upstream)
 * would silently poison medians and ranks; failing loudly is safer than
 * reporting a confident-looking but meaningless verdict.
 */

/** Throw unless `xs` is a non-empty array of finite numbers. */
export function assertSample(xs: readonly number[], what = 'sample'): void {
  if (xs.length === 0) throw new RangeError(`${what} must not be empty`);
  for (const x of xs) {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new RangeError(`${what} contains a non-finite value: ${String(x)}`);
    }
  }
}

/** Throw unless every value is finite and strictly positive (times, for ratios and logs). */
export function assertPositiveSample(xs: readonly number[], what = 'sample'): void {
  assertSample(xs, what);
  for (const x of xs) {
    if (x <= 0) throw new RangeError(`${what} must be strictly positive, got ${x}`);
  }
}

/** Throw unless 0 < level < 1 (a confidence level such as 0.95). */
export function assertLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
}
