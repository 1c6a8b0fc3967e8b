/**
 * A metric along an ordered list of QEMU sources (a history: releases, commits), one line per
 * variant and point: the median with its bootstrap 95% interval as a whisker, and each step
 * the change-point rule found drawn as a dashed rule between the two sources it lies between,
 * labelled with its ratio. Sources sit on a category axis in the history's order: the distance
 * between two releases is not a quantity.
 */
import type { Plugin } from 'chart.js';
import { variantColours } from '../palette.js';
import type { Theme } from '../theme.js';
import { ratio, secs } from '../units.js';
import { chartOf, type ChartConfig, type ChartOutcome } from './chart.js';
import { axis, baseOptions, dash, font, legend, logTicks } from './furniture.js';

export interface TrendPoint {
  median: number;
  lower: number;
  upper: number;
}

export interface TrendLine {
  label: string;
  /** The variant: lines of one variant share its colour. */
  variant: string;
  /** Per source, in order; null where the source has no time. */
  points: (TrendPoint | null)[];
}

export interface TrendStep {
  /** Indexes of the sources the step lies between. */
  from: number;
  at: number;
  line: number;
  verdict: 'SLOWER' | 'FASTER';
  ratio: number;
  /** The commit a bisect named for the step, as "sha subject", shown beside the step's label. */
  culprit?: string;
}

export interface TrendInput {
  caseName: string;
  id: string;
  title: string;
  subtitle: string[];
  sources: string[];
  lines: TrendLine[];
  steps: TrendStep[];
}

const stepColours = { SLOWER: '#B2182B', FASTER: '#2166AC' } as const;

export function trendChart(input: TrendInput): ChartOutcome {
  const { caseName, id, title, subtitle, sources, lines, steps } = input;
  // The whiskers' ends too: the axis must hold every interval, not only the medians chart.js sees.
  const values = lines.flatMap((l) => l.points.flatMap((p) => (p ? [p.lower, p.upper] : []))).filter((v) => v > 0);
  if (values.length === 0) return { skipped: `${title}: no source has a time` };
  // A step of x4 and a level of 0.3 s both stay readable on a log axis; a flat history does not need one.
  const logScale = Math.max(...values) / Math.min(...values) > 4;
  const colours = variantColours([...new Set(lines.map((l) => l.variant))]);
  const inWords = [
    ...lines.map((l) => `${l.label}: ${l.points.map((p, i) => `${sources[i]} ${p ? `${secs(p.median)} s` : 'no time'}`).join(', ')}`),
    ...steps.map((s) => `step ${s.verdict} ${ratio(s.ratio)} between ${sources[s.from]} and ${sources[s.at]} (${lines[s.line]!.label})${s.culprit ? `, first slow commit ${s.culprit}` : ''}`),
  ].join('; ');
  return chartOf({
    caseName,
    id,
    title,
    subtitle,
    inWords,
    config: (theme: Theme): ChartConfig => {
      const base = baseOptions(theme, title, subtitle);
      const datasets = lines.map((l, i) => {
        const colour = colours.get(l.variant)!;
        return {
          label: l.label,
          data: l.points.map((p) => (p ? p.median / 1000 : null)),
          borderColor: colour,
          backgroundColor: colour,
          borderWidth: theme.lineWidth,
          pointRadius: theme.pointRadius,
          borderDash: dash(theme, lines.slice(0, i).filter((o) => o.variant === l.variant).length),
          spanGaps: true,
          emuflockIntervals: l.points.map((p) => (p ? [p.lower / 1000, p.upper / 1000] : null)),
        };
      });
      return {
        type: 'line',
        data: { labels: sources, datasets },
        options: {
          ...base,
          plugins: { ...base.plugins, legend: legend(theme) },
          scales: {
            x: axis(theme, 'category', 'QEMU source, in history order', null, { offset: true }),
            y: axis(theme, logScale ? 'logarithmic' : 'linear', 'median, 95% interval of the median', 's', logScale ? logAxis(values) : { beginAtZero: true, suggestedMax: (Math.max(...values) / 1000) * 1.05 }),
          },
        },
        plugins: [whiskers(theme), stepRules(theme, steps, lines)],
      };
    },
  });
}

/** A log axis from one labelled 1-2-5 value below the data to one above, as the start-up chart's. */
function logAxis(valuesMs: number[]) {
  const [lo, hi] = [Math.min(...valuesMs) / 1000, Math.max(...valuesMs) / 1000];
  const ticks = logTicks(lo / 2.5, hi * 2.5);
  const [min, max] = [ticks.filter((v) => v <= lo).pop()!, ticks.find((v) => v >= hi)!];
  return {
    min,
    max,
    afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
      scale.ticks = logTicks(min, max).map((value) => ({ value }));
    },
    // chart.js's own log labels round 0.05 to "0.1".
    ticks: { callback: (v: number | string) => `${Number(v)}` },
  };
}

interface DrawnChart {
  ctx: CanvasRenderingContext2D;
  chartArea: { top: number; bottom: number; left: number; right: number };
  scales: Record<string, { getPixelForValue(v: number | string, index?: number): number }>;
  data: { datasets: { borderColor?: unknown; emuflockIntervals?: ([number, number] | null)[] }[] };
}

/** The interval of each median as a vertical whisker with caps, in its line's colour. */
function whiskers(theme: Theme): Plugin {
  return {
    id: 'emuflockWhiskers',
    afterDatasetsDraw(chart) {
      const c = chart as unknown as DrawnChart;
      const { ctx } = c;
      const cap = theme.pointRadius * 1.5;
      ctx.save();
      ctx.lineWidth = Math.max(1, theme.lineWidth / 1.5);
      for (const ds of c.data.datasets) {
        ctx.strokeStyle = String(ds.borderColor);
        (ds.emuflockIntervals ?? []).forEach((iv, i) => {
          if (!iv) return;
          const x = c.scales.x!.getPixelForValue(i);
          const [lo, hi] = [c.scales.y!.getPixelForValue(iv[0]), c.scales.y!.getPixelForValue(iv[1])];
          ctx.beginPath();
          ctx.moveTo(x, lo);
          ctx.lineTo(x, hi);
          ctx.moveTo(x - cap, lo);
          ctx.lineTo(x + cap, lo);
          ctx.moveTo(x - cap, hi);
          ctx.lineTo(x + cap, hi);
          ctx.stroke();
        });
      }
      ctx.restore();
    },
  };
}

/** A dashed rule halfway between the two sources of each step, its ratio and line written at the top. */
function stepRules(theme: Theme, steps: readonly TrendStep[], lines: readonly TrendLine[]): Plugin {
  return {
    id: 'emuflockSteps',
    afterDatasetsDraw(chart) {
      const c = chart as unknown as DrawnChart;
      const { ctx, chartArea } = c;
      ctx.save();
      const f = font(theme, theme.font.body, 'bold');
      ctx.font = `${f.weight} ${f.size}px ${f.family}`;
      const placed: PlacedLabel[] = [];
      steps.forEach((s) => {
        const x = (c.scales.x!.getPixelForValue(s.from) + c.scales.x!.getPixelForValue(s.at)) / 2;
        ctx.strokeStyle = stepColours[s.verdict];
        ctx.fillStyle = stepColours[s.verdict];
        ctx.lineWidth = Math.max(1, theme.lineWidth / 1.5);
        ctx.setLineDash([theme.lineWidth * 2, theme.lineWidth * 2]);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        // A label reads away from the nearer edge, so a step late in the history keeps its
        // culprit inside the chart; labels that would overlap (steps at the same place, or a long
        // culprit reaching the next step) go one under the other.
        const culprit = s.culprit ? ` · ${s.culprit.length > 60 ? `${s.culprit.slice(0, 59)}…` : s.culprit}` : '';
        const text = `${s.verdict === 'SLOWER' ? '▲' : '▼'} ${ratio(s.ratio)} ${lines[s.line]!.label}${culprit}`;
        const leftHalf = x < (chartArea.left + chartArea.right) / 2;
        ctx.textAlign = leftHalf ? 'left' : 'right';
        const anchor = x + (leftHalf ? 1 : -1) * (theme.font.body / 2);
        const width = ctx.measureText(text).width;
        const [left, right] = leftHalf ? [anchor, anchor + width] : [anchor - width, anchor];
        const gap = theme.font.body / 2;
        const row = labelRow(placed, left, right, gap);
        ctx.fillText(text, anchor, chartArea.top + theme.font.body * (1.2 + 1.3 * row));
      });
      ctx.restore();
    },
  };
}

export interface PlacedLabel {
  row: number;
  left: number;
  right: number;
}

/** The first row where a label from `left` to `right` (pixels) comes no nearer than `gap` to one already placed; it is added to `placed`. */
export function labelRow(placed: PlacedLabel[], left: number, right: number, gap: number): number {
  let row = 0;
  while (placed.some((p) => p.row === row && left < p.right + gap && right > p.left - gap)) row++;
  placed.push({ row, left, right });
  return row;
}
