import { inputError } from '../core/errors.js';
import type { Group } from './groups.js';

/** Two groups to compare: `old` is the baseline (or the first run), `new` the candidate. */
export interface Pair {
  old: Group;
  new: Group;
}

export interface Pairing {
  pairs: Pair[];
  /** What the reader must know about how groups were paired, or left unpaired. */
  notes: string[];
}

/**
 * Within one run: at every point of every case, each variant against the baseline, which is
 * `baseline` when given, else the case's first variant.
 */
export function pairToBaseline(groups: readonly Group[], variantOrder: ReadonlyMap<string, string[]>, baseline?: string): Pairing {
  if (baseline !== undefined && !groups.some((g) => g.variant === baseline)) {
    const known = [...new Set(groups.map((g) => g.variant))].join(', ');
    throw inputError(`--baseline ${baseline}: no such variant in this run (it has: ${known})`);
  }
  const pairs: Pair[] = [];
  const notes: string[] = [];
  const cases = [...new Set(groups.map((g) => g.case))];
  for (const c of cases) {
    const inCase = groups.filter((g) => g.case === c);
    const base = baseline ?? variantOrder.get(c)?.[0] ?? inCase[0]!.variant;
    if (!inCase.some((g) => g.variant === base)) {
      notes.push(`case ${c} has no variant ${base}: not compared`);
      continue;
    }
    for (const point of [...new Set(inCase.map((g) => g.point))]) {
      const old = inCase.find((g) => g.point === point && g.variant === base);
      for (const g of inCase.filter((x) => x.point === point && x.variant !== base)) {
        if (old) pairs.push({ old, new: g });
        else notes.push(`case ${c} ${point}: no ${base} trials, ${g.variant} not compared`);
      }
    }
  }
  return { pairs, notes };
}

/**
 * Across two runs: the same variant at the same point (equal parameters). When the runs share
 * no point but each has exactly one point per variant — a before/after pair of runs at two disk
 * counts, say — the variants are paired across points instead, and a note says so.
 */
export function pairRuns(olds: readonly Group[], news: readonly Group[]): Pairing {
  const newByKey = new Map(news.map((g) => [g.key, g]));
  const pairs = olds.filter((g) => newByKey.has(g.key)).map((g) => ({ old: g, new: newByKey.get(g.key)! }));
  const notes: string[] = [];
  if (pairs.length > 0) {
    const matched = new Set(pairs.flatMap((p) => [p.old, p.new]));
    const only = (side: readonly Group[], which: string) => {
      const left = side.filter((g) => !matched.has(g));
      if (left.length > 0) notes.push(`only in the ${which} run, not compared: ${left.map(describe).join(', ')}`);
    };
    only(olds, 'old');
    only(news, 'new');
    return { pairs, notes };
  }
  const single = (side: readonly Group[]) => side.every((g) => side.filter((x) => x.variant === g.variant).length === 1);
  const common = olds.filter((g) => news.some((n) => n.variant === g.variant));
  if (single(olds) && single(news) && common.length > 0) {
    for (const old of common) {
      const now = news.find((n) => n.variant === old.variant)!;
      pairs.push({ old, new: now });
      notes.push(`the runs share no point; paired by variant: ${old.variant} ${old.point} (old) → ${now.point} (new)`);
    }
    return { pairs, notes };
  }
  throw inputError(
    `the runs share no variant at the same point, so there is nothing to compare (old: ${olds.map(describe).join(', ')}; new: ${news.map(describe).join(', ')})`,
  );
}

function describe(g: Group): string {
  return `${g.variant} ${g.point}`;
}
