/**
 * The charts of a report, per case, in the order a reader meets them. A new chart is one new
 * file and one line here.
 */
import type { ReportModel } from '../model.js';
import type { ChartOutcome, ChartSpec } from './chart.js';
import { fleetChart } from './fleet.js';
import { fleetGuestsChart } from './fleet-guests.js';
import { irqCharts } from './irq.js';
import { migrationChart } from './migration.js';
import { phasesChart } from './phases.js';
import { profileChart } from './profile.js';
import { spreadChart } from './spread.js';
import { startupChart, type StartupOptions } from './startup.js';

export type ChartOptions = StartupOptions;

/** Why a chart of a case is missing. */
export interface ChartNote {
  caseName: string;
  text: string;
}

export function chartsFor(model: ReportModel, opts: ChartOptions = {}): { charts: ChartSpec[]; notes: ChartNote[] } {
  const outcomes = model.cases.flatMap((c) =>
    [startupChart(model, c, opts), fleetChart(model, c), fleetGuestsChart(c), migrationChart(model, c), phasesChart(model, c), profileChart(model, c), ...irqCharts(model, c), spreadChart(model, c)]
      .filter((o): o is ChartOutcome => o !== undefined)
      .map((o) => ({ caseName: c.name, o })),
  );
  return {
    charts: outcomes.flatMap(({ o }) => ('chart' in o ? [o.chart] : [])),
    notes: outcomes.flatMap(({ caseName, o }) => ('skipped' in o ? [{ caseName, text: o.skipped }] : [])),
  };
}

/** A note as a line of its own, e.g. on the terminal: the case first. */
export const noteLine = (n: ChartNote): string => `${n.caseName}: ${n.text}`;
