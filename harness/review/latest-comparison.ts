import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareRuns, type CompareReport } from '../compare/compare.js';
import { loadRun } from '../compare/load.js';
import type { Observation, PhaseName } from '../journal/observation.js';
import { reviewPhases } from './point-table.js';

export interface SeriesComparison {
  runDir: string;
  runId: string;
  /** Each phase compared, keeping only variants with the series against baselines without it. */
  reports: Map<PhaseName, CompareReport>;
  observations: Observation[];
}

/**
 * The newest run under `root` (run ids sort by time) in which a variant with `series` was held
 * against a baseline without it: what a cover letter can say was measured. Unreadable
 * directories are passed over: results/ also holds runs of other emuflock versions.
 */
export async function latestComparison(root: string, series: string, opts: { threshold: number; alpha: number }): Promise<SeriesComparison | undefined> {
  const ids = (await readdir(root, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory() && /^\d{8}-\d{6}-/.test(e.name))
    .map((e) => e.name)
    .sort()
    .reverse();
  for (const runId of ids) {
    const runDir = join(root, runId);
    const run = await loadRun(runDir, runId, () => {}).catch(() => undefined);
    if (!run || !run.observations.some((o) => o.variant.series.includes(series))) continue;
    const reports = new Map<PhaseName, CompareReport>();
    for (const metric of reviewPhases) {
      const report = compareRuns([run], { metric, ...opts });
      const times = report.times.filter((r) => withSeries(r.pair.new.all, series) && !withSeries(r.pair.old.all, series));
      reports.set(metric, { ...report, times, counts: report.counts.filter((r) => withSeries(r.pair.new.all, series) && !withSeries(r.pair.old.all, series)) });
    }
    if ((reports.get('totalMs')?.times.length ?? 0) > 0) return { runDir, runId, reports, observations: run.observations };
  }
  return undefined;
}

function withSeries(trials: readonly Observation[], series: string): boolean {
  return trials.some((o) => o.variant.series.includes(series));
}
