/**
 * Titles, axes and legends shared by every chart, so all charts of a report (and both themes)
 * read alike: the same fonts, the same colours, units on every axis, "log scale" said on
 * every log axis.
 */
import type { Theme } from '../theme.js';

export function font(theme: Theme, size: number, weight: 'normal' | 'bold' = 'normal') {
  return { family: theme.font.family, size, weight };
}

/** Options every chart starts from: a still image, no animation, no device-pixel scaling. */
export function baseOptions(theme: Theme, title: string, subtitle: string[]) {
  return {
    animation: false as const,
    responsive: false,
    devicePixelRatio: 1,
    color: theme.text,
    layout: { padding: theme.padding },
    font: font(theme, theme.font.body),
    plugins: {
      title: { display: true, text: title, color: theme.text, font: font(theme, theme.font.title, 'bold'), padding: { bottom: theme.padding / 3 } },
      subtitle: { display: subtitle.length > 0, text: subtitle, color: theme.text, font: font(theme, theme.font.subtitle), padding: { bottom: theme.padding } },
      tooltip: { enabled: false },
    },
  };
}

export function legend(theme: Theme, keep: (datasetIndex: number) => boolean = () => true) {
  return {
    display: true,
    position: 'top' as const,
    align: 'start' as const,
    labels: {
      color: theme.text,
      font: font(theme, theme.font.body),
      boxWidth: theme.font.body * 2.5,
      boxHeight: theme.font.body * 0.8,
      padding: theme.font.body,
      filter: (item: { datasetIndex?: number }) => item.datasetIndex === undefined || keep(item.datasetIndex),
    },
  };
}

export type AxisScale = 'linear' | 'logarithmic' | 'category';

/** An axis whose title says the unit, and "log scale" when it is one: "start-up time (s, log scale)". */
export function axis(theme: Theme, scale: AxisScale, title: string, unit: string | null, extra: Record<string, unknown> = {}) {
  const notes = [unit, scale === 'logarithmic' ? 'log scale' : null].filter((n) => n !== null);
  const ticks = (extra.ticks ?? {}) as Record<string, unknown>;
  return {
    type: scale,
    ...extra,
    title: { display: true, text: notes.length > 0 ? `${title} (${notes.join(', ')})` : title, color: theme.text, font: font(theme, theme.font.axisTitle, 'bold') },
    ticks: { color: theme.text, font: font(theme, theme.font.body), autoSkip: false, ...ticks },
    grid: { color: theme.grid, ...((extra.grid ?? {}) as Record<string, unknown>) },
    border: { color: theme.text, width: Math.max(1, theme.lineWidth / 2.5) },
  };
}

/**
 * Values spanning this factor or more (largest / smallest) get a log axis: on a linear one a
 * ×10 gap squashes the small values onto the floor (a fixed QEMU's 15 s under an unfixed one's
 * 150 s), where a log axis shows both, and equal ratios as equal heights.
 */
export const LOG_AXIS_SPAN = 10;

/** The axis for these positive values: logarithmic when they span LOG_AXIS_SPAN or more, else linear. */
export function scaleForRange(values: readonly number[]): 'linear' | 'logarithmic' {
  const positive = values.filter((v) => v > 0);
  return positive.length > 0 && Math.max(...positive) / Math.min(...positive) >= LOG_AXIS_SPAN ? 'logarithmic' : 'linear';
}

/** 1-2-5 ticks between lo and hi: what a log axis should be labelled with. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)) + 1; e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(Number(v.toPrecision(6)));
    }
  }
  return out;
}

/** The dash of the n-th line of one colour: lines of one variant that differ in another parameter. */
export function dash(theme: Theme, n: number): number[] {
  const w = theme.lineWidth;
  return [[], [4 * w, 2 * w], [w, 1.5 * w], [6 * w, 2 * w, w, 2 * w]][n % 4]!;
}

/** The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^e) at or above x: an axis end that does not waste half the chart. */
export function niceCeil(x: number): number {
  const e = 10 ** Math.floor(Math.log10(x));
  return [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * e).find((v) => v >= x * 0.9999)!;
}
