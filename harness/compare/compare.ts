import {
  compareCounts,
  compareTimes,
  growthExponent,
  summarize,
  type CountComparison,
  type GrowthFit,
  type SampleSummary,
  type TimeComparison,
} from '../analyze/index.js';
import { restLabel } from '../case/point.js';
import type { OpenedRun } from '../journal/opened-run.js';
import { byCasePointVariant, byVariantParams, groupTrials, sweptPerCase, type Group } from './groups.js';
import { pairRuns, pairToBaseline, type Pair } from './pairing.js';
import { metricValues, usableTrials } from './samples.js';
import { defaultStatistics } from './statistics-defaults.js';
import type { Counts } from '../record/counts.js';
import type { Observation } from '../record/observation.js';
import type { PhaseName } from '../record/phases.js';

/**
 * One run as the comparison sees it: its trials, each case's variants in file order and, where
 * this version can read them, its case files (journal/opened-run.ts opens a run as this).
 */
export type RunData = Pick<OpenedRun, 'label' | 'observations' | 'variantOrder'> & Partial<Pick<OpenedRun, 'cases'>>;

export interface CompareOptions {
  metric: PhaseName;
  /** Relative change that matters, e.g. 0.05. */
  threshold: number;
  alpha: number;
  /** Within one run: the variant the others are held against (default: each case's first). */
  baseline?: string;
}

export const defaultCompareOptions: CompareOptions = defaultStatistics;

/** A timing comparison; `comparison` is null when a side has no usable trial. */
export interface TimeRow {
  pair: Pair;
  old: SampleSummary | null;
  new: SampleSummary | null;
  comparison: TimeComparison | null;
}

export type CountName = keyof Counts | 'disksSeen';
const countNames: CountName[] = ['disksSeen', 'routeCommits', 'routesAdded', 'routesReleased', 'irqfdNotifies', 'userspaceNotifies', 'irqfdFallbacks'];

/** An exact count side by side: compared where both sides measured it in every usable trial. */
export interface CountRow {
  pair: Pair;
  name: CountName;
  comparison: CountComparison | null;
  /** Set when not compared: which side lacks the count. */
  missing?: 'old' | 'new' | 'both';
}

/** Growth of the metric with the disk count, for one variant of one run that sweeps disks. */
export interface GrowthRow {
  run: string;
  case: string;
  variant: string;
  /** The point without its disk count, e.g. "drives=legacy"; "" when only disks vary. */
  rest: string;
  disks: number[];
  fit: GrowthFit;
}

export interface RunUse {
  label: string;
  used: number;
  excluded: Map<string, number>;
}

export interface CompareReport {
  mode: 'baseline' | 'runs';
  options: CompareOptions;
  runs: RunUse[];
  times: TimeRow[];
  counts: CountRow[];
  /** Counts no trial of either side measured (under TCG: all but disksSeen). */
  unmeasured: CountName[];
  growth: GrowthRow[];
  notes: string[];
  /** Some point is SLOWER: the regression gate fails. */
  regression: boolean;
}

/**
 * Compares one run's variants against a baseline, or two runs (old, new) variant by variant.
 * Pure: everything comes in as Observations, so it is tested on synthetic journals.
 */
export function compareRuns(runs: readonly RunData[], opts: CompareOptions): CompareReport {
  if (runs.length < 1 || runs.length > 2) throw new RangeError(`compare takes one or two runs, got ${runs.length}`);
  const metric = opts.metric;
  const { pairs, notes } =
    runs.length === 1
      ? pairToBaseline(groupTrials(runs[0]!.observations, byCasePointVariant, metric, runs[0]!.variantOrder), runs[0]!.variantOrder, opts.baseline)
      : pairRuns(
          groupTrials(runs[0]!.observations, byVariantParams, metric, runs[0]!.variantOrder),
          groupTrials(runs[1]!.observations, byVariantParams, metric, runs[1]!.variantOrder),
        );
  const times = pairs.map((pair) => timeRow(pair, opts));
  const allCounts = pairs.flatMap((pair) => countNames.map((name) => countRow(pair, name)));
  const unmeasured = countNames.filter((name) => allCounts.filter((r) => r.name === name).every((r) => r.missing === 'both'));
  return {
    mode: runs.length === 1 ? 'baseline' : 'runs',
    options: opts,
    runs: runs.map((r) => {
      const { used, excluded } = usableTrials(r.observations, metric);
      return { label: r.label, used: used.length, excluded };
    }),
    times,
    counts: allCounts.filter((r) => !unmeasured.includes(r.name)),
    unmeasured,
    growth: runs.flatMap((r) => growthRows(r, metric)),
    notes,
    regression: times.some((r) => r.comparison?.verdict === 'SLOWER'),
  };
}

function timeRow(pair: Pair, opts: CompareOptions): TimeRow {
  const oldTimes = metricValues(pair.old.used, opts.metric);
  const newTimes = metricValues(pair.new.used, opts.metric);
  const summary = (xs: number[]) => (xs.length > 0 ? summarize(xs) : null);
  return {
    pair,
    old: summary(oldTimes),
    new: summary(newTimes),
    comparison:
      oldTimes.length > 0 && newTimes.length > 0 ? compareTimes(oldTimes, newTimes, { threshold: opts.threshold, alpha: opts.alpha }) : null,
  };
}

function countRow(pair: Pair, name: CountName): CountRow {
  const values = (g: Group) => g.used.map((o) => (name === 'disksSeen' ? o.guest.disksSeen : o.counts[name]));
  const oldValues = values(pair.old);
  const newValues = values(pair.new);
  // A count is measured only where every usable trial has it; a partial count would compare
  // different subsets of trials.
  const measured = (xs: (number | null)[]): xs is number[] => xs.length > 0 && xs.every((x) => x !== null);
  const oldOk = measured(oldValues);
  const newOk = measured(newValues);
  if (oldOk && newOk) return { pair, name, comparison: compareCounts(oldValues, newValues) };
  return { pair, name, comparison: null, missing: !oldOk && !newOk ? 'both' : oldOk ? 'new' : 'old' };
}

/**
 * Growth exponents of one run: per case, variant and the rest of the point, when at least two
 * disk counts were booted. Every usable trial is a point of the fit (aggregate 'all').
 */
export function growthRows(run: RunData, metric: PhaseName): GrowthRow[] {
  const sweeps = new Map<string, Observation[]>();
  const swept = sweptPerCase(run.observations, run.cases);
  const rest = (o: Observation) => restLabel(o.params, swept.get(o.case)!, ['disks']);
  for (const o of usableTrials(run.observations, metric).used) {
    const key = `${o.case}\u0000${o.variant.name}\u0000${rest(o)}`;
    sweeps.set(key, [...(sweeps.get(key) ?? []), o]);
  }
  const rows: GrowthRow[] = [];
  for (const trials of sweeps.values()) {
    const disks = [...new Set(trials.map((o) => o.params.disks))].sort((a, b) => a - b);
    if (disks.length < 2) continue;
    const first = trials[0]!;
    rows.push({
      run: run.label,
      case: first.case,
      variant: first.variant.name,
      rest: rest(first),
      disks,
      fit: growthExponent(trials.map((o) => ({ x: o.params.disks, y: o.phases[metric]! }))),
    });
  }
  return rows;
}
