/**
 * What the trials of a source as it is ("stock") and with a fix series ("fixed") say about the
 * fix's bug. A phase is compared as `emuflock compare` compares times (fixed FASTER: the bug is
 * still there); an exact count (route commits, irqfd fallbacks) as counts are: any difference
 * means the series still changes what QEMU does there. Either way, a source that fails where
 * the series ends ok still has the bug (the route table overflow that aborts QEMU is one).
 */
import { compareCounts, compareTimes, type CountComparison, type TimeComparison } from '../analyze/index.js';
import { describeExcluded, metricValues, usableTrials, type Usable } from '../compare/samples.js';
import { outcomes, type Outcome } from '../record/outcome.js';
import { irqCountLabels, irqCountNames, type IrqCountName } from '../record/counts.js';
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

/** The verdict from the trials of both sides (warm-ups are left out). */
export function effectVerdict(stockTrials: readonly Observation[], fixedTrials: readonly Observation[], metric: EffectMetric, stats: { threshold: number; alpha: number }): EffectVerdict {
  const [stock, fixed] = [usable(stockTrials, metric), usable(fixedTrials, metric)];
  // Excluded for an outcome (not for being a warm-up or lacking the phase): the trial failed.
  const failed = (u: Usable) => [...u.excluded.keys()].some((why) => outcomes.includes(why as Outcome));
  const why = (u: Usable) => [u.used.length > 0 ? `${u.used.length} ok` : '', describeExcluded(u.excluded)].filter(Boolean).join(', ') || 'no trials';
  if (stock.used.length === 0 && fixed.used.length > 0 && failed(stock)) {
    const counted = fixedTrials.filter((o) => !o.warmup).length;
    return { status: 'still there', detail: `the source as it is fails here (${why(stock)}), with the series ${fixed.used.length} of ${counted} trials ended ok` };
  }
  if (fixed.used.length === 0 && stock.used.length > 0 && failed(fixed)) return { status: 'fix fails', detail: `no trial with the series ended ok (${why(fixed)}); the source as it is did` };
  if (stock.used.length === 0 || fixed.used.length === 0) return { status: 'undecided', detail: `nothing to compare (as it is: ${why(stock)}; with the series: ${why(fixed)})` };
  return isCountMetric(metric) ? countVerdict(stock.used, fixed.used, metric) : timeVerdict(metricValues(stock.used, metric), metricValues(fixed.used, metric), stats);
}

/** The trials a verdict may use: ok ones, with the phase when it is a time (compare/samples.ts). */
function usable(trials: readonly Observation[], metric: EffectMetric): Usable {
  // An exact count is read from every ok trial; totalMs stands for "ended ok", as every ok trial
  // has it (run/session/phase-marks.ts: a case that ends at QEMU init is ready at its end).
  return usableTrials(trials, isCountMetric(metric) ? 'totalMs' : metric);
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
    return { status: 'undecided', detail: `${irqCountLabels[name]} not measured in every ok trial (a build without the trace events, or no trace log)` };
  }
  const c = compareCounts(s as number[], f as number[]);
  const trials = `${stock.length} + ${fixed.length} trials`;
  const shown = (side: typeof c.old) => (side.constant ? String(side.value) : side.values.join('/'));
  if (c.verdict === 'INCONSISTENT') return { status: 'undecided', detail: `${irqCountLabels[name]} vary between boots: ${shown(c.old)} as it is, ${shown(c.new)} with the series (${trials})`, counts: c };
  if (c.verdict === 'EQUAL') return { status: 'not seen', detail: `${irqCountLabels[name]} ${c.old.value} with and without the series, exact in ${trials}`, counts: c };
  return { status: 'still there', detail: `${irqCountLabels[name]} ${c.old.value} → ${c.new.value} with the series, exact in ${trials}`, counts: c };
}
