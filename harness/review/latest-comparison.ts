import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompareReport } from '../compare/compare.js';
import { openRun } from '../journal/opened-run.js';
import { phaseComparisons } from './phase-comparisons.js';
import type { Observation } from '../record/observation.js';
import type { PhaseName } from '../record/phases.js';

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
    const run = await openRun(runDir, { label: runId }).catch(() => undefined);
    const pair = run && seriesPair(run.observations, series);
    if (!run || !pair) continue;
    const mine = (r: { pair: { new: { variant: string } } }) => r.pair.new.variant === pair.with;
    const reports = new Map<PhaseName, CompareReport>();
    for (const [metric, report] of phaseComparisons(run, { ...opts, baseline: pair.base })) {
      reports.set(metric, { ...report, times: report.times.filter(mine), counts: report.counts.filter(mine) });
    }
    if ((reports.get('totalMs')?.times.length ?? 0) > 0) return { runDir, runId, reports, observations: run.observations };
  }
  return undefined;
}

/**
 * A variant with the series and the one it was measured against: the variant whose series are
 * the same minus this one (unfixed = fixed + drain-per-bds), else one without any series.
 */
function seriesPair(observations: readonly Observation[], series: string): { with: string; base: string } | undefined {
  const variants = new Map(observations.map((o) => [o.variant.name, o.variant.series]));
  for (const [name, list] of variants) {
    if (!list.includes(series)) continue;
    const without = JSON.stringify(list.filter((s) => s !== series));
    const base = [...variants].find(([, l]) => JSON.stringify(l) === without) ?? [...variants].find(([, l]) => l.length === 0);
    if (base) return { with: name, base: base[0] };
  }
  return undefined;
}
