/**
 * Exact event counts (e.g. IRQ route commits, ioctl calls) compared as
 * integers.
 *
 * Counts from a deterministic code path should be identical in every trial;
 * averaging them would hide the interesting case where they are not (a race,
 * a retry loop). So each side must first be constant across its trials, and
 * only then are the two values compared for equality.
 */

/** Outcome of comparing per-trial counts of two variants. */
export type CountVerdict = 'EQUAL' | 'DIFFERENT' | 'INCONSISTENT';

/** One variant's counts across trials. */
export interface CountSide {
  trials: number;
  /** Distinct observed values, ascending. */
  values: number[];
  /** True when every trial reported the same count. */
  constant: boolean;
  /** The count when constant, otherwise null. */
  value: number | null;
}

/** Result of `compareCounts`. */
export interface CountComparison {
  verdict: CountVerdict;
  old: CountSide;
  new: CountSide;
  /** new.value - old.value when both sides are constant, else null. */
  difference: number | null;
}

function describeSide(counts: readonly number[], what: string): CountSide {
  if (counts.length === 0) throw new RangeError(`${what} has no trials`);
  for (const c of counts) {
    if (!Number.isSafeInteger(c)) throw new RangeError(`${what} contains a non-integer count: ${String(c)}`);
  }
  const values = [...new Set(counts)].sort((a, b) => a - b);
  const constant = values.length === 1;
  return { trials: counts.length, values, constant, value: constant ? values[0]! : null };
}

/**
 * Compare per-trial integer counts of two variants. INCONSISTENT when either
 * side varies across its trials (the comparison would be meaningless), else
 * EQUAL or DIFFERENT. Throws on empty input or non-integer counts.
 */
export function compareCounts(oldCounts: readonly number[], newCounts: readonly number[]): CountComparison {
  const older = describeSide(oldCounts, 'old counts');
  const newer = describeSide(newCounts, 'new counts');
  if (older.value === null || newer.value === null) {
    return { verdict: 'INCONSISTENT', old: older, new: newer, difference: null };
  }
  return {
    verdict: older.value === newer.value ? 'EQUAL' : 'DIFFERENT',
    old: older,
    new: newer,
    difference: newer.value - older.value,
  };
}
