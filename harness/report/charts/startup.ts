/**
 * Start-up time against disk count, one line per variant: the talk's headline chart. The line
 * is the median, the band the bootstrap 95% interval of the median: with three trials a point
 * alone would hide how much one slow boot could have moved it. The growth exponent in the
 * legend turns a curve's shape into a number a reviewer can quote ("k = 2.9: cubic").
 */
import type { CaseModel, ReportModel, VariantPoint } from '../model.js';
import { translucent } from '../palette.js';
import type { Theme } from '../theme.js';
import { exponent } from '../units.js';
import { referenceMs, referenceValue } from '../../case/reference.js';
import { chartOf, type ChartConfig, type ChartOutcome } from './chart.js';
import { axis, baseOptions, dash, legend, logTicks, scaleForRange } from './furniture.js';

export interface StartupOptions {
  /**
   * Log-log axes: a power law becomes a straight line whose slope is k. Otherwise x is linear,
   * and y is too unless the medians span ×10 or more (scaleForRange).
   */
  logLog?: boolean;
}

interface Line {
  variant: string;
  rest: string;
  label: string;
  colour: string;
  dashIndex: number;
  points: VariantPoint[];
}

export function startupChart(model: ReportModel, c: CaseModel, opts: StartupOptions = {}): ChartOutcome {
  if (c.disks.length < 2) return { skipped: `start-up vs disks not drawn: the case boots one disk count (${c.disks.join(', ')})` };
  const lines: Line[] = [];
  for (const variant of c.variants) {
    for (const rest of c.rests) {
      const points = c.points.filter((p) => p.variant === variant && p.rest === rest && p.total !== null);
      if (points.length === 0) continue;
      const fit = model.comparison.startupGrowth.find((g) => g.case === c.name && g.variant === variant && g.rest === rest);
      const name = rest ? `${variant} ${rest}` : variant;
      lines.push({
        variant,
        rest,
        label: fit ? `${name} (k = ${exponent(fit.fit.exponent)})` : name,
        colour: model.colours.get(variant)!,
        dashIndex: c.rests.indexOf(rest),
        points,
      });
    }
  }
  if (lines.length === 0) return { skipped: `start-up vs disks not drawn: no trial ended ok` };
  const published: Published[] = c.references.map((r) => ({
    label: `published: ${r.variant} at ${r.disks} disks, ${referenceValue(r)} (${r.conditions})`,
    colour: model.colours.get(r.variant)!,
    x: r.disks,
    y: referenceMs(r) / 1000,
  }));
  const logLog = opts.logLog ?? false;
  const id = `${c.name}-startup${logLog ? '-loglog' : ''}`;
  const title = `Start-up time vs disks: ${c.name}`;
  const trials = [...new Set(c.points.map((p) => p.used.length))].sort((a, b) => a - b);
  const subtitle = [
    c.setup,
    `start-up: QEMU spawn → guest sees every disk · line: median of ${trials.length === 1 ? trials[0] : `${trials[0]}–${trials[trials.length - 1]}`} trials`,
    'band: 95% CI of the median (bootstrap) · k: growth exponent, time ∝ disks^k',
    ...(published.length > 0 ? ['◆ published figures, measured elsewhere under the conditions they name; lines: this host'] : []),
    ...c.leftOut,
  ];
  return chartOf({
    caseName: c.name,
    id,
    title,
    subtitle,
    inWords: `Lines: ${lines.map((l) => `${l.label}: ${l.points.map((p) => `${p.disks} disks ${(p.total!.median / 1000).toFixed(2)} s`).join(', ')}`).join('; ')}${published.map((p) => `; ${p.label}`).join('')}`,
    config: (theme) => config(theme, lines, published, c.disks, logLog, title, subtitle),
  });
}

/** A published figure (case `reference:`): one hollow diamond in its variant's colour. */
interface Published {
  label: string;
  colour: string;
  x: number;
  /** Seconds. */
  y: number;
}

function config(theme: Theme, lines: Line[], published: Published[], disks: number[], logLog: boolean, title: string, subtitle: string[]): ChartConfig {
  const datasets: Record<string, unknown>[] = [];
  const shownInLegend = new Set<number>();
  const xy = (p: VariantPoint, y: number) => ({ x: p.disks, y: y / 1000 });
  for (const l of lines) {
    // The band is two invisible lines, the upper filled down to the lower ('-1'); drawn first
    // so that every median line lies on top of every band.
    datasets.push(
      { label: `${l.label} CI low`, data: l.points.map((p) => xy(p, p.total!.medianCI.lower)), borderWidth: 0, pointRadius: 0, fill: false },
      {
        label: `${l.label} CI high`,
        data: l.points.map((p) => xy(p, p.total!.medianCI.upper)),
        borderWidth: 0,
        pointRadius: 0,
        fill: '-1',
        backgroundColor: translucent(l.colour, 0.2),
      },
    );
  }
  for (const l of lines) {
    shownInLegend.add(datasets.length);
    datasets.push({
      label: l.label,
      data: l.points.map((p) => xy(p, p.total!.median)),
      borderColor: l.colour,
      backgroundColor: l.colour,
      borderWidth: theme.lineWidth,
      borderDash: dash(theme, l.dashIndex),
      pointRadius: theme.pointRadius,
      pointHoverRadius: theme.pointRadius,
      fill: false,
    });
  }
  for (const p of published) {
    shownInLegend.add(datasets.length);
    datasets.push(publishedMarker(theme, p));
  }
  const ys = [...lines.flatMap((l) => l.points.flatMap((p) => [p.total!.medianCI.lower, p.total!.medianCI.upper])).map((y) => y / 1000), ...published.map((p) => p.y)];
  const yLog = logLog || scaleForRange(lines.flatMap((l) => l.points.map((p) => p.total!.median))) === 'logarithmic';
  const xTicks = logLog ? disks : [0, ...disks];
  // Log axes end on a labelled 1-2-5 value, so the top and bottom of the data can be read off.
  const yTicks = logTicks(Math.min(...ys) / 2.5, Math.max(...ys) * 2.5);
  const yLow = yTicks.filter((v) => v <= Math.min(...ys)).pop()!;
  const yHigh = yTicks.find((v) => v >= Math.max(...ys))!;
  const base = baseOptions(theme, title, subtitle);
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...base,
      plugins: { ...base.plugins, legend: legend(theme, (i) => shownInLegend.has(i)) },
      scales: {
        x: axis(theme, logLog ? 'logarithmic' : 'linear', 'virtio-blk disks per guest', null, {
          ...(logLog ? { min: disks[0]! / 1.15, max: disks[disks.length - 1]! * 1.15 } : { min: 0, max: disks[disks.length - 1]! * 1.05 }),
          afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
            scale.ticks = xTicks.map((value) => ({ value }));
          },
          ticks: { callback: (v: number | string) => String(v) },
        }),
        y: axis(theme, yLog ? 'logarithmic' : 'linear', 'start-up time', 's', {
          ...(yLog ? { min: yLow, max: yHigh } : { beginAtZero: true }),
          ...(yLog
            ? {
                afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
                  scale.ticks = logTicks(yLow, yHigh).map((value) => ({ value }));
                },
              }
            : {}),
          ticks: { callback: (v: number | string) => `${Number(v)}` },
        }),
      },
    },
  };
}

/** A published figure as a hollow diamond: a point of its own, never joined to this host's line. */
function publishedMarker(theme: Theme, p: Published): Record<string, unknown> {
  return {
    label: p.label,
    data: [{ x: p.x, y: p.y }],
    showLine: false,
    pointStyle: 'rectRot',
    pointRadius: theme.pointRadius * 2.5,
    pointBorderWidth: theme.lineWidth,
    borderColor: p.colour,
    backgroundColor: 'rgba(0,0,0,0)',
  };
}
