import type { CompareReport, TimeRow } from '../compare/compare.js';
import { interval, ratio, secs } from '../report/units.js';
import { textTable } from '../core/text-table.js';
import { phaseLabel, phaseTable, type PhaseName } from '../record/phases.js';

/** The phases in the order a reader follows a boot, the whole first. */
export const reviewPhases: PhaseName[] = ['totalMs', ...phaseTable.map((p) => p.ms)];

/** Per phase, the comparison of one variant with its baseline at one point. */
export type PointRows = Map<PhaseName, TimeRow>;

/** Groups the per-metric comparisons by (point, variant): one table each. */
export function pointRows(reports: ReadonlyMap<PhaseName, CompareReport>): { point: string; variant: string; baseline: string; rows: PointRows }[] {
  const out: { point: string; variant: string; baseline: string; rows: PointRows }[] = [];
  for (const phase of reviewPhases) {
    for (const row of reports.get(phase)?.times ?? []) {
      const key = { point: row.pair.new.point, variant: row.pair.new.variant, baseline: row.pair.old.variant };
      let entry = out.find((e) => e.point === key.point && e.variant === key.variant && e.baseline === key.baseline);
      if (!entry) out.push((entry = { ...key, rows: new Map() }));
      entry.rows.set(phase, row);
    }
  }
  return out;
}

/**
 * One point as a mail can carry it: a row per phase with the medians and ratio, and under it
 * their 95% intervals, so that every column fits 72 characters whatever the magnitudes.
 */
export function pointTable(rows: PointRows, baseLabel: string, seriesLabel: string): string {
  const cells: string[][] = [];
  for (const phase of reviewPhases) {
    const r = rows.get(phase);
    if (!r) continue;
    const c = r.comparison;
    cells.push([phaseLabel(phase), r.old ? `${secs(r.old.median)} s` : '-', r.new ? `${secs(r.new.median)} s` : '-', c ? ratio(c.ratio) : '-', c?.verdict ?? 'no data']);
    cells.push(['', r.old ? interval(r.old.medianCI, secs) : '', r.new ? interval(r.new.medianCI, secs) : '', c ? interval(c.ratioCI, (x) => x.toFixed(x < 0.1 ? 3 : 2)) : '', '']);
  }
  return textTable(['phase', baseLabel, seriesLabel, 'ratio', 'verdict'], cells)
    .split('\n')
    .map((l) => `  ${l}`.trimEnd())
    .join('\n');
}

/** "QEMU init FASTER (0.18×)": the phases whose verdict is a change, for the summary line. */
export function changedPhases(rows: PointRows): { changed: string[]; same: string[]; undecided: string[] } {
  const changed: string[] = [];
  const same: string[] = [];
  const undecided: string[] = [];
  for (const phase of reviewPhases) {
    const c = rows.get(phase)?.comparison;
    if (!c) continue;
    if (c.verdict === 'FASTER' || c.verdict === 'SLOWER') changed.push(`${phaseLabel(phase)} ${c.verdict} (${ratio(c.ratio)})`);
    else if (c.verdict === 'SAME') same.push(phaseLabel(phase));
    else undecided.push(phaseLabel(phase));
  }
  return { changed, same, undecided };
}
