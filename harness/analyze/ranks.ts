/**
 * Mid-ranks with tie bookkeeping, the basis of the Mann-Whitney test.
 *
 * Timings recorded at coarse resolution (whole milliseconds) tie often; tied
 * values share the average of the ranks they span, and the tie-group sizes
 * are kept because the normal approximation's variance depends on them.
 */

/** Ranks of the pooled data plus the sizes of tie groups (only groups of size >= 2). */
export interface RankResult {
  /** 1-based mid-ranks, in the order of the input. */
  ranks: number[];
  /** Size of every group of equal values with more than one member. */
  tieGroups: number[];
}

/** Average (mid-) ranks of `xs`, 1-based, like R's `rank(ties.method = "average")`. */
export function midRanks(xs: readonly number[]): RankResult {
  const n = xs.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => xs[i]! - xs[j]!);
  const ranks = new Array<number>(n);
  const tieGroups: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && xs[order[j]!] === xs[order[i]!]) j++;
    // Positions i..j-1 (0-based) share ranks i+1..j, whose average is (i+1+j)/2.
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]!] = rank;
    if (j - i > 1) tieGroups.push(j - i);
    i = j;
  }
  return { ranks, tieGroups };
}
