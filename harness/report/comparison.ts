/**
 * The only place the report computes comparisons, and it delegates to `emuflock compare`'s
 * module: a verdict in report.md, junit.xml and the terminal must never disagree. Swap this
 * file, and nothing else, if the comparison moves.
 */
import { compareRuns, defaultCompareOptions, growthRows, type CompareOptions, type CompareReport, type GrowthRow, type RunData } from '../compare/compare.js';

export type { CompareOptions, CompareReport, CountRow, GrowthRow, TimeRow } from '../compare/compare.js';

export interface ReportComparison {
  /** Each variant against its case's baseline at every point, on the chosen metric. */
  table: CompareReport;
  /** Growth exponents of start-up time (totalMs), whatever metric the table uses: the chart plots totalMs. */
  startupGrowth: GrowthRow[];
}

export function compareForReport(run: RunData, opts: Partial<CompareOptions> = {}): ReportComparison {
  const options: CompareOptions = { ...defaultCompareOptions, ...opts };
  const table = compareRuns([run], options);
  const startupGrowth = options.metric === 'totalMs' ? table.growth : growthRows(run, 'totalMs');
  return { table, startupGrowth };
}
