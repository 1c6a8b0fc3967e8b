/**
 * What the trials of a source as it is ("stock") and with a fix series ("fixed") say about the
 * fix's bug. A phase is compared as `emuflock compare` compares times (fixed FASTER: the bug is
 * still there); an exact count (route commits, irqfd fallbacks) as counts are: any difference
 * means the series still changes what QEMU does there. Either way, a source that fails where
 * the series ends ok still has the bug (the route table overflow that aborts QEMU is one).
 */
import { compareCounts, compareTimes, type CountComparison, type TimeComparison } from '../analyze/index.js';
import { metricValues, usableTrials } from '../compare/samples.js';
import { irqCountNames, type IrqCountName } from '../record/counts.js';
import type { Observation } from '../record/observation.js';
import type { PhaseName } from '../record/phases.js';
import { pValue, ratio } from '../report/units.js';

export type EffectStatus = 'still there' | 'not seen' | 'undecided' | 'fix slower' | 'fix fails' | 'not measurable' | 'does not build';

/** Where a series' bug shows: a phase's time, or an exact count. */
export type EffectMetric = PhaseName | IrqCountName;

export const isCountMetric = (m: EffectMetric): m is IrqCountName => (irqCountNames as readonly string[]).includes(m);

export interface EffectVerdict {
  status: EffectStatus;
  /** One line: the comparison (fixed against stock), or why it decides nothing. */
  detail: string;
  comparison?: TimeComparison;
  counts?: CountComparison;
}

const countLabel: Record<IrqCountName, string> = {
  routeCommits: 'route commits',
  routesAdded: 'routes added',
  routesReleased: 'routes released',
  irqfdNotifies: 'irqfd notifications',
  userspaceNotifies: 'userspace notifications',
  irqfdFallbacks: 'irqfd fallbacks',
};

/** The verdict from the counted (non-warm-up) trials of both sides. */
export function effectVerdict(stockTrials: readonly Observation[], fixedTrials: readonly Observation[], metric: EffectMetric, stats: { threshold: number; alpha: number }): EffectVerdict {
  const okOf = (trials: readonly Observation[]) => (isCountMetric(metric) ? trials.filter((o) => !o.warmup && o.outcome === 'ok') : usableTrials(trials, metric).used);
  const [stock, fixed] = [okOf(stockTrials), okOf(fixedTrials)];
  const failures = (trials: readonly Observation[]) => {
    const byOutcome = new Map<string, number>();
    for (const o of trials) if (!o.warmup && o.outcome !== 'ok') byOutcome.set(o.outcome, (byOutcome.get(o.outcome) ?? 0) + 1);
    return [...byOutcome].map(([outcome, n]) => `${outcome} ${n}`).join(', ') || 'none counted';
  };
  if (stock.length === 0 && fixed.length > 0) {
    return { status: 'still there', detail: `the source as it is fails here (${failures(stockTrials)}), with the series ${fixed.length} of ${fixedTrials.filter((o) => !o.warmup).length} trials ended ok` };
  }
  if (fixed.length === 0 && stock.length > 0) return { status: 'fix fails', detail: `no trial with the series ended ok (${failures(fixedTrials)}); the source as it is did` };
  if (stock.length === 0) return { status: 'undecided', detail: `no trial ended ok on either side (as it is: ${failures(stockTrials)}; with the series: ${failures(fixedTrials)})` };
  return isCountMetric(metric) ? countVerdict(stock, fixed, metric) : timeVerdict(metricValues(stock, metric), metricValues(fixed, metric), stats);
}

function timeVerdict(stock: number[], fixed: number[], stats: { threshold: number; alpha: number }): EffectVerdict {
  const c = compareTimes(stock, fixed, stats);
  const status: EffectStatus = c.verdict === 'FASTER' ? 'still there' : c.verdict === 'SAME' ? 'not seen' : c.verdict === 'SLOWER' ? 'fix slower' : 'undecided';
  const detail = `fixed/stock ${ratio(c.ratio)} [${ratio(c.ratioCI.lower)}, ${ratio(c.ratioCI.upper)}], p ${pValue(c.pValue)}, ${c.verdict}, ${c.nOld} + ${c.nNew} trials`;
  return { status, detail, comparison: c };
}

function countVerdict(stock: readonly Observation[], fixed: readonly Observation[], name: IrqCountName): EffectVerdict {
  const values = (trials: readonly Observation[]) => trials.map((o) => o.counts[name]);
  const [s, f] = [values(stock), values(fixed)];
  const unmeasured = (xs: (number | null)[]) => xs.some((x) => x === null);
  if (unmeasured(s) || unmeasured(f)) {
    return { status: 'undecided', detail: `${countLabel[name]} not measured in every ok trial (a build without the trace events, or no trace log)` };
  }
  const c = compareCounts(s as number[], f as number[]);
  const trials = `${stock.length} + ${fixed.length} trials`;
  const shown = (side: typeof c.old) => (side.constant ? String(side.value) : side.values.join('/'));
  if (c.verdict === 'INCONSISTENT') return { status: 'undecided', detail: `${countLabel[name]} vary between boots: ${shown(c.old)} as it is, ${shown(c.new)} with the series (${trials})`, counts: c };
  if (c.verdict === 'EQUAL') return { status: 'not seen', detail: `${countLabel[name]} ${c.old.value} with and without the series, exact in ${trials}`, counts: c };
  return { status: 'still there', detail: `${countLabel[name]} ${c.old.value} → ${c.new.value} with the series, exact in ${trials}`, counts: c };
}
