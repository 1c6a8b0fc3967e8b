/**
 * Every trial at the largest disk count, one column per variant: the noise behind each median,
 * so that nobody reads a 3% difference between two medians of three noisy trials as a result.
 * Each trial is drawn as its distance from its variant's median, in percent: on one absolute
 * axis a 10% scatter around 14 s would vanish next to a variant taking 150 s. The absolute
 * median is written under each column.
 */
import type { CaseModel, ReportModel, VariantPoint } from '../model.js';
import type { Theme } from '../theme.js';
import { secs } from '../units.js';
import { chartOf, type ChartConfig, type ChartOutcome } from './chart.js';
import { axis, baseOptions, legend, niceCeil } from './furniture.js';

export function spreadChart(model: ReportModel, c: CaseModel): ChartOutcome {
  const largest = c.disks[c.disks.length - 1]!;
  const columns = c.points.filter((p) => p.disks === largest && p.total !== null);
  if (columns.length === 0) return { skipped: `trial spread not drawn: no trial at ${largest} disks ended ok` };
  const id = `${c.name}-spread`;
  const title = `Trial-to-trial spread at ${largest} disks: ${c.name}`;
  const subtitle = [c.setup, "each dot is one trial's start-up time, as its distance from the median of its variant (ok trials only)", ...c.leftOut];
  const deviation = (p: VariantPoint, ms: number) => (ms / p.total!.median - 1) * 100;
  const name = (p: VariantPoint) => (p.rest ? `${p.variant} ${p.rest}` : p.variant);
  const inWords = columns
    .map((p) => `${name(p)}: median ${secs(p.total!.median)} s, trials ${p.used.map((o) => `${deviation(p, o.phases.totalMs!).toFixed(1)}%`).join(', ')}`)
    .join('; ');
  return chartOf({
    caseName: c.name,
    id,
    title,
    subtitle,
    inWords,
    config: (theme: Theme): ChartConfig => {
        const datasets = columns.map((p, column) => {
          const n = p.used.length;
          // Spread dots sideways in a fixed pattern (no randomness: the chart must be reproducible).
          const step = Math.min(0.08, 0.5 / n);
          const colour = model.colours.get(p.variant)!;
          return {
            label: name(p),
            data: p.used.map((o, i) => ({ x: column + (i - (n - 1) / 2) * step, y: deviation(p, o.phases.totalMs!) })),
            backgroundColor: colour,
            borderColor: colour,
            pointRadius: theme.pointRadius * 1.3,
            pointHoverRadius: theme.pointRadius * 1.3,
            showLine: false,
          };
        });
        // Symmetric, so that above and below the median compare at a glance, but never below
        // -100% (no trial is faster than instant) and never narrower than ±5%, so that a quiet
        // variant does not look noisy.
        const reach = niceCeil(Math.max(5, ...datasets.flatMap((d) => d.data.map((pt) => Math.abs(pt.y)))) * 1.1);
        const above = reach;
        const below = Math.min(100, reach);
        const base = baseOptions(theme, title, subtitle);
        return {
          type: 'scatter',
          data: { datasets },
          options: {
            ...base,
            plugins: { ...base.plugins, legend: { ...legend(theme), display: false } },
            scales: {
              x: axis(theme, 'linear', 'variant: median start-up time, trials ok', null, {
                min: -0.5,
                max: columns.length - 0.5,
                afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
                  scale.ticks = columns.map((_, value) => ({ value }));
                },
                ticks: {
                  callback: (v: number | string) => {
                    const p = columns[Number(v)];
                    return p ? [name(p), `${secs(p.total!.median)} s, ${p.used.length}/${p.trials.length} ok`] : '';
                  },
                  color: (ctx: { tick?: { value: number } }) => model.colours.get(columns[ctx.tick?.value ?? -1]?.variant ?? '') ?? theme.text,
                },
                grid: { display: false },
              }),
              y: axis(theme, 'linear', "trial vs its variant's median", '%', {
                min: -below,
                max: above,
                ticks: { callback: (v: number | string) => `${Number(v) > 0 ? '+' : ''}${Number(v)}%` },
                grid: { color: (ctx: { tick?: { value: number } }) => (ctx.tick?.value === 0 ? theme.text : theme.grid) },
              }),
            },
          },
        };
    },
  });
}
