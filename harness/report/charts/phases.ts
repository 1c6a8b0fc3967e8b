/**
 * Where the time goes: each variant's median phases stacked, per disk count. A fix that only
 * moves cost from QEMU init into the guest's probe shows here and nowhere else.
 */
import type { CaseModel, ReportModel, VariantPoint } from '../model.js';
import { phaseColours } from '../palette.js';
import type { Theme } from '../theme.js';
import { barLabels, type StackLabel } from './bar-labels.js';
import { chartOf, type ChartConfig, type ChartOutcome } from './chart.js';
import { axis, baseOptions, legend } from './furniture.js';
import { secs } from '../units.js';
import { phaseTable } from '../../record/phases.js';

const shown = (ms: number | null | undefined) => (ms === null || ms === undefined ? 'n/a' : `${secs(ms)} s`);

/** Every phase, stacked in the order a boot goes through them. */
const stacked = phaseTable;

export function phasesChart(model: ReportModel, c: CaseModel): ChartOutcome {
  if (!c.points.some((p) => p.used.length > 0)) return { skipped: `phase breakdown not drawn: no trial ended ok` };
  const groups = c.rests.flatMap((rest) => c.disks.map((disks) => ({ rest, disks })));
  const at = (variant: string, g: { rest: string; disks: number }): VariantPoint | undefined =>
    c.points.find((p) => p.variant === variant && p.rest === g.rest && p.disks === g.disks);
  const id = `${c.name}-phases`;
  const title = `Start-up phases per variant: ${c.name}`;
  const subtitle = [c.setup, 'bars: median of each phase over the trials that ended ok (stacked medians need not add up to the median total)', ...c.leftOut];
  const inWords = c.variants
    .map((v) => `${v}: ${groups.map((g) => `${g.disks} disks ${stacked.map((s) => `${s.label} ${shown(at(v, g)?.phaseMedians[s.ms])}`).join(', ')}`).join('; ')}`)
    .join('. ');
  return chartOf({
    caseName: c.name,
    id,
    title,
    subtitle,
    inWords,
    config: (theme: Theme): ChartConfig => {
        const datasets: Record<string, unknown>[] = [];
        const labels: StackLabel[] = [];
        for (const variant of c.variants) {
          for (const s of stacked) {
            datasets.push({
              label: s.label,
              stack: variant,
              data: groups.map((g) => {
                const ms = at(variant, g)?.phaseMedians[s.ms];
                return ms === null || ms === undefined ? null : ms / 1000;
              }),
              backgroundColor: phaseColours[s.ms],
              borderColor: '#ffffff',
              borderWidth: Math.max(1, theme.lineWidth / 3),
              categoryPercentage: 0.85,
              barPercentage: 0.9,
            });
          }
          labels.push({ topDataset: datasets.length - 1, text: variant, colour: model.colours.get(variant)! });
        }
        const base = baseOptions(theme, title, subtitle);
        // Headroom for the name above the tallest bar; chart.js's `grace` is ignored on stacked axes.
        const tallest = Math.max(...groups.flatMap((g) => c.variants.map((v) => stacked.reduce((sum, s) => sum + (at(v, g)?.phaseMedians[s.ms] ?? 0), 0)))) / 1000;
        return {
          type: 'bar',
          data: { labels: groups.map((g) => (g.rest ? [`${g.disks} disks`, g.rest] : `${g.disks} disks`)), datasets },
          options: {
            ...base,
            // Room above the tallest bar for its name.
            layout: { padding: { ...{ left: theme.padding, right: theme.padding, bottom: theme.padding }, top: theme.padding * 2 } },
            plugins: { ...base.plugins, legend: legend(theme, (i) => i < stacked.length) },
            scales: {
              x: axis(theme, 'category', 'virtio-blk disks per guest', null, { stacked: true }),
              y: axis(theme, 'linear', 'median time per phase', 's', { stacked: true, beginAtZero: true, suggestedMax: tallest * 1.12 }),
            },
          },
          plugins: [barLabels(theme, labels)],
        };
    },
  });
}
