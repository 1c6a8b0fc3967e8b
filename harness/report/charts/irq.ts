/**
 * Interrupt routing work against the number of virtqueues (disks × queues: each has its own
 * vector and route): route table commits, routes added and irqfd fallbacks per boot. One chart
 * per remaining setting (e.g. kernel-irqchip=on and =split), so colours stay variants and
 * markers stay counts. These are exact counts (the same in every trial of a variant), so
 * each point is a value, not a median with a band; a count that varies between trials is named
 * in the subtitle, because that is itself a finding. Counts need KVM's in-kernel irqchip: under
 * TCG every count is null and the chart is skipped with a note.
 */
import { median } from '../../analyze/index.js';
import type { CaseModel, ReportModel, VariantPoint } from '../model.js';
import type { Theme } from '../theme.js';
import { chartOf, type ChartConfig, type ChartOutcome } from './chart.js';
import { axis, baseOptions, dash, legend } from './furniture.js';
import { restLabel } from '../../case/point.js';
import type { Counts } from '../../record/counts.js';

// Fallbacks are a handful where commits and routes are thousands: on one axis they would lie
// flat on zero, so they get the right-hand axis.
const plotted: { count: keyof Counts; label: string; pointStyle: string; axis: 'y' | 'y1' }[] = [
  { count: 'routeCommits', label: 'route commits', pointStyle: 'circle', axis: 'y' },
  { count: 'routesAdded', label: 'routes added', pointStyle: 'rect', axis: 'y' },
  { count: 'irqfdFallbacks', label: 'irqfd fallbacks (right axis)', pointStyle: 'triangle', axis: 'y1' },
];

interface Line {
  label: string;
  variant: string;
  kind: number;
  points: { queues: number; value: number }[];
}

function measured(p: VariantPoint, count: keyof Counts): number[] {
  return p.used.map((o) => o.counts[count]).filter((v): v is number => v !== null);
}

export function irqCharts(model: ReportModel, c: CaseModel): ChartOutcome[] {
  const rests = [...new Set(c.points.map((p) => irqRest(c, p)))];
  const charts = rests.map((rest) => irqChart(model, c, rest, rests.length === 1 ? `${c.name}-irq` : `${c.name}-irq-${rest.replaceAll(/[^A-Za-z0-9]+/g, '-')}`));
  const drawn = charts.filter((o): o is ChartOutcome => o !== undefined);
  if (drawn.length > 0) return drawn;
  return [
    {
      skipped: `IRQ routing chart not drawn: no trial measured route commits, routes or irqfd fallbacks (they need KVM's in-kernel irqchip; under TCG they are null)`,
    },
  ];
}

/** The chart of one setting; undefined when no trial there counted anything. */
function irqChart(model: ReportModel, c: CaseModel, rest: string, id: string): ChartOutcome | undefined {
  const { lines, varying } = countLines(c, rest);
  if (lines.length === 0) return undefined;
  const title = `IRQ routing work vs virtqueues: ${c.name}${rest ? ` (${rest})` : ''}`;
  const subtitle = [
    c.setup,
    'exact counts per boot (ok trials) · colour: variant · marker and dash: what is counted · equal counts overlap (the first variant listed on top)',
    ...(varying.length > 0 ? [`varies between trials (median drawn): ${varying.slice(0, 3).join('; ')}${varying.length > 3 ? '; …' : ''}`] : []),
    ...failedHere(c, rest),
  ];
  const inWords = lines.map((l) => `${l.label}: ${l.points.map((p) => `${p.queues} virtqueues ${p.value}`).join(', ')}`).join('; ');
  return chartOf({ caseName: c.name, id, title, subtitle, inWords, config: (theme) => irqConfig(model, lines, theme, title, subtitle) });
}

/** One line per variant and count at this setting, and the counts that differ between trials. */
function countLines(c: CaseModel, rest: string): { lines: Line[]; varying: string[] } {
  const lines: Line[] = [];
  const varying: string[] = [];
  for (const variant of c.variants) {
    plotted.forEach(({ count, label }, kind) => {
      const points = c.points
        .filter((p) => p.variant === variant && irqRest(c, p) === rest)
        .flatMap((p) => {
          const values = measured(p, count);
          if (values.length === 0) return [];
          if (new Set(values).size > 1) varying.push(`${variant} ${label} at ${p.point}: ${[...new Set(values)].sort((a, b) => a - b).join('/')}`);
          return [{ queues: p.params.disks * p.params.queues, value: median(values) }];
        })
        .sort((a, b) => a.queues - b.queues);
      if (points.length > 0) lines.push({ label: `${variant}: ${label}`, variant, kind, points });
    });
  }
  return { lines, varying };
}

function irqConfig(model: ReportModel, lines: Line[], theme: Theme, title: string, subtitle: string[]): ChartConfig {
  const base = baseOptions(theme, title, subtitle);
  const kinds = plotted.filter((_, kind) => lines.some((l) => l.kind === kind));
  const queues = [...new Set(lines.flatMap((l) => l.points.map((p) => p.queues)))].sort((a, b) => a - b);
  const legendOptions = legend(theme);
  return {
    type: 'line',
    data: {
      datasets: lines.map((l) => {
        const colour = model.colours.get(l.variant)!;
        return {
          label: l.label,
          data: l.points.map((p) => ({ x: p.queues, y: p.value })),
          borderColor: colour,
          backgroundColor: colour,
          borderWidth: theme.lineWidth,
          borderDash: dash(theme, l.kind),
          pointStyle: plotted[l.kind]!.pointStyle,
          yAxisID: plotted[l.kind]!.axis,
          pointRadius: theme.pointRadius * 1.2,
          pointHoverRadius: theme.pointRadius * 1.2,
          fill: false,
        };
      }),
    },
    options: {
      ...base,
      plugins: {
        ...base.plugins,
        legend: { ...legendOptions, labels: { ...legendOptions.labels, usePointStyle: true, generateLabels: () => legendItems(model, lines, kinds, theme) } },
      },
      scales: {
        x: axis(theme, 'linear', 'virtqueues per guest (disks × queues, one vector each)', null, {
          min: 0,
          max: queues[queues.length - 1]! * 1.05,
          afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
            scale.ticks = [0, ...queues].map((value) => ({ value }));
          },
          ticks: { callback: (v: number | string) => String(v) },
        }),
        y: axis(theme, 'linear', 'route commits, routes added per boot', null, { beginAtZero: true, ticks: { precision: 0 } }),
        ...(kinds.some((k) => k.axis === 'y1') ? { y1: fallbackAxis(theme) } : {}),
      },
    },
  };
}

/**
 * A legend of variants (colours) and of counts (markers), not of every combination: three
 * variants × three counts would be nine entries to decode.
 */
function legendItems(model: ReportModel, lines: Line[], kinds: typeof plotted, theme: Theme) {
  const variants = [...new Set(lines.map((l) => l.variant))];
  return [
    ...variants.map((v) => ({ text: v, fillStyle: model.colours.get(v)!, strokeStyle: model.colours.get(v)!, lineWidth: theme.lineWidth, pointStyle: 'line', hidden: false })),
    ...kinds.map((k) => ({ text: k.label, fillStyle: theme.text, strokeStyle: theme.text, lineWidth: 1, pointStyle: k.pointStyle, hidden: false })),
  ];
}

function fallbackAxis(theme: Theme) {
  return axis(theme, 'linear', 'irqfd fallbacks per boot', null, { position: 'right', beginAtZero: true, suggestedMax: 4, ticks: { precision: 0 }, grid: { drawOnChartArea: false } });
}

/** The points of this chart whose trials all failed: a crash is the finding there, not a gap. */
function failedHere(c: CaseModel, rest: string): string[] {
  return c.points
    .filter((p) => irqRest(c, p) === rest && p.used.length === 0 && p.trials.length > 0)
    .map((p) => `not drawn: ${p.variant} at ${p.params.disks * p.params.queues} virtqueues: ${[...new Set(p.trials.map((o) => o.outcome))].join(', ')} (${p.trials.length} of ${p.trials.length})`);
}

/** The point without what the x axis shows (disks × queues = virtqueues). */
function irqRest(c: CaseModel, p: VariantPoint): string {
  return restLabel(p.params, c.swept, ['disks', 'queues']);
}
