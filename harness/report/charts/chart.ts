import type { Plugin } from 'chart.js';
import type { Theme } from '../theme.js';

/** One chart of a report, drawable in any theme. */
export interface ChartSpec {
  /** File stem, unique within a run: `<case>-<kind>`, e.g. `seed-drain-startup`. */
  id: string;
  /** The case the chart belongs to: the report places it by this, never by its id. */
  caseName: string;
  title: string;
  /**
   * The chart in words, naming every series. Cairo outlines an SVG's text as paths, so without
   * this no one could search an SVG for a variant, and a screen reader would read nothing.
   */
  description: string;
  config(theme: Theme): ChartConfig;
}

/**
 * A chart.js configuration, typed loosely: chart.js's generic types cannot describe the
 * callbacks and mixed datasets used here, so the one cast lives in render.ts.
 */
export interface ChartConfig {
  type: 'line' | 'bar' | 'scatter';
  data: { labels?: unknown[]; datasets: Record<string, unknown>[] };
  options: Record<string, unknown>;
  plugins?: Plugin[];
}

/**
 * A chart is made, or skipped with the note a reader needs to know why it is missing (without
 * the case's name: the report says which case it is about).
 */
export type ChartOutcome = { chart: ChartSpec } | { skipped: string };

/**
 * What every chart module hands over: its case, its file stem, title and subtitle, the data in
 * words (after the title and subtitle, for the description) and how to draw it in a theme.
 */
export function chartOf(parts: {
  caseName: string;
  id: string;
  title: string;
  subtitle: readonly string[];
  inWords: string;
  config(theme: Theme): ChartConfig;
}): ChartOutcome {
  const { caseName, id, title, subtitle, inWords, config } = parts;
  return { chart: { id, caseName, title, description: `${title}. ${subtitle.join('. ')}. ${inWords}.`, config } };
}
