import { usableTrials } from './samples.js';
import { sweptParams } from '../case/point.js';
import type { SweptParam } from '../case/sweep.js';
import { caseSweep } from '../case/matrix.js';
import type { CaseSpec } from '../case/schema.js';
import type { Observation } from '../record/observation.js';
import type { TrialParams } from '../record/params.js';
import type { PhaseName } from '../record/phases.js';

/** The trials of one variant at one point, all of them and the ones a statistic may use. */
export interface Group {
  key: string;
  case: string;
  point: string;
  variant: string;
  params: TrialParams;
  all: Observation[];
  used: Observation[];
}

/** Within one run a point belongs to its case: two cases may share a point string. */
export const byCasePointVariant = (o: Observation) => `${o.case}\u0000${o.point}\u0000${o.variant.name}`;

/**
 * Across runs a point is what was booted, not what the case file was called: the same variant
 * with equal parameters (every field, not only the swept ones in the point string).
 */
export const byVariantParams = (o: Observation) => `${o.variant.name}\u0000${paramsKey(o.params)}`;

function paramsKey(p: TrialParams): string {
  return JSON.stringify(Object.fromEntries(Object.entries(p).sort(([a], [b]) => a.localeCompare(b))));
}

/**
 * Groups counted trials (warm-ups are dropped here, failures kept so a group whose trials all
 * failed still shows), sorted by case as first seen, then disk count, then point, then variant
 * in the case's order.
 */
export function groupTrials(
  observations: readonly Observation[],
  keyOf: (o: Observation) => string,
  metric: PhaseName,
  variantOrder: ReadonlyMap<string, string[]> = new Map(),
): Group[] {
  const groups = new Map<string, Group>();
  for (const o of observations) {
    if (o.warmup) continue;
    const key = keyOf(o);
    const g = groups.get(key) ?? { key, case: o.case, point: o.point, variant: o.variant.name, params: o.params, all: [], used: [] };
    g.all.push(o);
    groups.set(key, g);
  }
  for (const g of groups.values()) g.used = usableTrials(g.all, metric).used;
  const caseRank = new Map<string, number>();
  for (const g of groups.values()) if (!caseRank.has(g.case)) caseRank.set(g.case, caseRank.size);
  const variantRank = (g: Group) => {
    const order = variantOrder.get(g.case) ?? [];
    return order.includes(g.variant) ? order.indexOf(g.variant) : order.length;
  };
  return [...groups.values()].sort(
    (a, b) =>
      caseRank.get(a.case)! - caseRank.get(b.case)! ||
      a.params.disks - b.params.disks ||
      // Numeric: guests=4 before guests=16.
      a.point.localeCompare(b.point, 'en', { numeric: true }) ||
      variantRank(a) - variantRank(b) ||
      a.variant.localeCompare(b.variant),
  );
}

/**
 * Per case, the parameters it sweeps: as its case file declares them, else (a case text this
 * version cannot read) those that vary among its trials' records.
 */
export function sweptPerCase(observations: readonly Observation[], specs: ReadonlyMap<string, CaseSpec> = new Map()): Map<string, SweptParam[]> {
  const byCase = new Map<string, Observation['params'][]>();
  for (const o of observations) {
    if (o.warmup) continue;
    const params = byCase.get(o.case) ?? [];
    params.push(o.params);
    byCase.set(o.case, params);
  }
  return new Map([...byCase].map(([name, params]) => {
    const spec = specs.get(name);
    return [name, spec ? caseSweep(spec) : sweptParams(params)];
  }));
}
