import { join } from 'node:path';
import { parseCase } from '../case/load.js';
import { variantName } from '../case/schema.js';
import { byCasePointVariant, groupTrials } from '../compare/groups.js';
import { metricValues } from '../compare/samples.js';
import { openRun } from '../journal/opened-run.js';
import type { Observation } from '../record/observation.js';
import { allEndedAtInit, phaseTable, phasesReached, type PhaseName } from '../record/phases.js';
import type { HistoryFile } from './history-file.js';

/** The phases as a reader walks them, the whole start-up first. */
export const phasesWholeFirst: PhaseName[] = ['totalMs', ...phaseTable.map((p) => p.ms)];

/** One metric of one variant at one point of the case, along the history's sources. */
export interface Trend {
  metric: PhaseName;
  point: string;
  variant: string;
  disks: number;
  /** The variant's patch series (a bisect builds commits as they are: only a variant without any is bisected). */
  series: string[];
  /** Per source, in history order: the ok trials' times in ms ([] when it has none). */
  levels: number[][];
  /** Per source: trials counted (warm-ups aside) and how many ended ok. */
  trials: { all: number; ok: number }[];
}

/**
 * The history's trends, read from each measured source's journal: every phase the trials
 * reached (a case that ends at qemu-init has QEMU init and total only), for every point and
 * variant, variants in the case's order.
 */
export async function loadTrends(dir: string, history: HistoryFile, warn: (line: string) => void): Promise<Trend[]> {
  const perSource: Observation[][] = [];
  for (const s of history.sources) {
    const rec = history.records[s.id];
    perSource.push(rec?.status === 'measured' && rec.runDir ? (await openRun(join(dir, rec.runDir), { warn })).observations : []);
  }
  const spec = parseCase(history.case.text, history.case.file, history.case.sha256).spec;
  const order = new Map([[history.case.name, spec.variants.map(variantName)]]);
  const trends = new Map<string, Trend>();
  const all = perSource.flat();
  // A case that ends at QEMU's init has total = init: one trend, not two alike.
  const metrics = phasesReached(all, phasesWholeFirst).filter((m) => !(m === 'totalMs' && allEndedAtInit(all)));
  for (const metric of metrics) {
    // Keys from the whole history first, so that every trend has a slot for every source.
    for (const g of groupTrials(all, byCasePointVariant, metric, order)) {
      trends.set(`${metric}\u0000${g.key}`, { metric, point: g.point, variant: g.variant, disks: g.params.disks, series: g.all[0]?.variant.series ?? [], levels: [], trials: [] });
    }
    perSource.forEach((observations, i) => {
      for (const g of groupTrials(observations, byCasePointVariant, metric, order)) {
        const t = trends.get(`${metric}\u0000${g.key}`)!;
        t.levels[i] = metricValues(g.used, metric);
        t.trials[i] = { all: g.all.length, ok: g.used.length };
      }
    });
  }
  for (const t of trends.values()) {
    for (let i = 0; i < history.sources.length; i++) {
      t.levels[i] ??= [];
      t.trials[i] ??= { all: 0, ok: 0 };
    }
  }
  return [...trends.values()];
}
