import type { Plugin } from 'chart.js';
import type { Theme } from '../theme.js';

/** One chart of a report, drawable in any theme. */
export interface ChartSpec {
  /** File stem, unique within a run: `<case>-<kind>`, e.g. `seed-drain-startup`. */
  id: string;
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

/** A chart is made, or skipped with the note a reader needs to know why it is missing. */
export type ChartOutcome = { chart: ChartSpec } | { skipped: string };
