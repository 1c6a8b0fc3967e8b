/**
 * The charts of a report, per case, in the order a reader meets them. A new chart is one new
 * file and one line here.
 */
import type { ReportModel } from '../model.js';
import type { ChartOutcome, ChartSpec } from './chart.js';
import { fleetChart } from './fleet.js';
import { irqCharts } from './irq.js';
import { phasesChart } from './phases.js';
import { profileChart } from './profile.js';
import { spreadChart } from './spread.js';
import { startupChart, type StartupOptions } from './startup.js';

export type ChartOptions = StartupOptions;

export function chartsFor(model: ReportModel, opts: ChartOptions = {}): { charts: ChartSpec[]; notes: string[] } {
  const outcomes: ChartOutcome[] = model.cases.flatMap((c) =>
    [startupChart(model, c, opts), fleetChart(model, c), phasesChart(model, c), profileChart(model, c), ...irqCharts(model, c), spreadChart(model, c)].filter(
      (o): o is ChartOutcome => o !== undefined,
    ),
  );
  return {
    charts: outcomes.flatMap((o) => ('chart' in o ? [o.chart] : [])),
    notes: outcomes.flatMap((o) => ('skipped' in o ? [o.skipped] : [])),
  };
}
