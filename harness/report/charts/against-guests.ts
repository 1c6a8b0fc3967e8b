/**
 * What the fleet and migration charts share: lines against the number of guests, times in
 * seconds on the left axis and one other quantity on the right, a dash per measure and a
 * colour per variant.
 */
import type { Theme } from '../theme.js';
import type { ChartConfig } from './chart.js';
import { axis, baseOptions, dash, legend, niceCeil } from './furniture.js';

export interface GuestsLine<P extends { guests: number }> {
  label: string;
  colour: string;
  points: P[];
}

/** One measure of one line; a point whose value is null is left out. */
export function guestsSeries<P extends { guests: number }>(theme: Theme, l: GuestsLine<P>, what: string, y: (p: P) => number | null, dashIndex: number, axisId: 'y' | 'y2') {
  return {
    label: `${l.label}: ${what}`,
    data: l.points.flatMap((p) => {
      const v = y(p);
      return v === null ? [] : [{ x: p.guests, y: v }];
    }),
    borderColor: l.colour,
    backgroundColor: l.colour,
    borderWidth: theme.lineWidth,
    borderDash: dash(theme, dashIndex),
    pointRadius: theme.pointRadius,
    fill: false,
    yAxisID: axisId,
  };
}

export interface GuestsAxes {
  /** The guest counts measured: the x ticks. */
  guests: number[];
  xTitle: string;
  /** The largest time on the left axis, in seconds. */
  maxS: number;
  right: { title: string; unit: string; max: number };
}

export function againstGuestsConfig(theme: Theme, title: string, subtitle: string[], datasets: Record<string, unknown>[], a: GuestsAxes): ChartConfig {
  const base = baseOptions(theme, title, subtitle);
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...base,
      plugins: { ...base.plugins, legend: legend(theme) },
      scales: {
        x: axis(theme, 'linear', a.xTitle, null, {
          min: 0,
          max: a.guests[a.guests.length - 1]! * 1.05,
          afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
            // 0 and 1 would print on top of each other.
            scale.ticks = (a.guests[0] === 1 ? a.guests : [0, ...a.guests]).map((value) => ({ value }));
          },
          ticks: { callback: (v: number | string) => String(v) },
        }),
        y: axis(theme, 'linear', 'time', 's', { min: 0, max: niceCeil(a.maxS * 1.1), position: 'left' }),
        y2: axis(theme, 'linear', a.right.title, a.right.unit, { min: 0, max: niceCeil(a.right.max * 1.1), position: 'right', grid: { drawOnChartArea: false } }),
      },
    },
  };
}
