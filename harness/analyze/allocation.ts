import { minimumExactP } from './mann-whitney.js';

/**
 * Trials per side for the next adaptive look when one side's trial costs more than the other's
 * (a 2-minute boot of an unfixed QEMU against a 15-second one of the fix).
 *
 * The rank test's finest attainable p-value with a and b trials is 2/C(a+b, a) (complete
 * separation). The look schedule asks for the resolution of an equal plan (n, n); any (a, b)
 * with a resolution at least as fine can decide a large effect as surely, and the cheapest such
 * pair spends the trials where they are cheap: 3 slow + 10 fast trials reach p = 0.0070 as
 * 5 + 5 reach 0.0079, for 7 fast trials instead of 2 slow and 2 fast. With equal costs the
 * cheapest pair is the balanced one, so nothing changes for like variants. The test and its
 * alpha are the same either way; only where the next trials go changes.
 */
export interface Sides {
  old: number;
  new: number;
}

/** The largest n whose equal plan (n, n) resolves no finer than (a, b): the look schedule's stage of (a, b). */
export function equivalentPerSide(sizes: Sides): number {
  const p = minimumExactP(sizes.old, sizes.new);
  let n = 1;
  while (minimumExactP(n + 1, n + 1) >= p * (1 - 1e-12)) n++;
  return n;
}

/**
 * The cheapest sizes (a ≥ have.old, b ≥ have.new, each at most max) resolving at least as finely as
 * (perSide, perSide); extra cost = (a - have.old)·cost.old + (b - have.new)·cost.new. Ties go to
 * the more balanced pair (better power for small effects). When no pair within max reaches that
 * resolution, the equal plan capped at max.
 */
export function cheapestSizes(have: Sides, perSide: number, cost: Sides, max: number): Sides {
  const wanted = minimumExactP(perSide, perSide) * (1 + 1e-12);
  let best: (Sides & { cost: number }) | undefined;
  for (let a = have.old; a <= max; a++) {
    const b = smallestOtherSide(a, have.new, max, wanted);
    if (b === undefined) continue;
    const extra = (a - have.old) * cost.old + (b - have.new) * cost.new;
    if (!best || extra < best.cost || (extra === best.cost && Math.abs(a - b) < Math.abs(best.old - best.new))) best = { old: a, new: b, cost: extra };
  }
  if (best) return { old: best.old, new: best.new };
  return { old: Math.max(have.old, Math.min(max, perSide)), new: Math.max(have.new, Math.min(max, perSide)) };
}

/**
 * The smallest b in [from, max] with minimumExactP(a, b) ≤ wanted, by bisection (the p falls as
 * b grows): a linear walk made one look of a `max: 1000` case take a second per pair.
 */
function smallestOtherSide(a: number, from: number, max: number, wanted: number): number | undefined {
  if (minimumExactP(a, max) > wanted) return undefined;
  let lo = from;
  let hi = max;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (minimumExactP(a, mid) <= wanted) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
