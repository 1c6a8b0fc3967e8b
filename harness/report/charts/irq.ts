/**
 * Interrupt routing work against the number of devices: route table commits, routes added and
 * irqfd fallbacks per boot. These are exact counts (the same in every trial of a variant), so
 * each point is a value, not a median with a band; a count that varies between trials is named
 * in the subtitle, because that is itself a finding. Counts need KVM's in-kernel irqchip: under
 * TCG every count is null and the chart is skipped with a note.
 */
import { median } from '../../analyze/index.js';
import type { Counts } from '../../journal/observation.js';
import type { CaseModel, ReportModel, VariantPoint } from '../model.js';
import type { Theme } from '../theme.js';
import type { ChartConfig, ChartOutcome } from './chart.js';
import { axis, baseOptions, dash, legend } from './furniture.js';

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
  points: { disks: number; value: number }[];
}

function measured(p: VariantPoint, count: keyof Counts): number[] {
  return p.used.map((o) => o.counts[count]).filter((v): v is number => v !== null);
}

export function irqChart(model: ReportModel, c: CaseModel): ChartOutcome {
  const lines: Line[] = [];
  const varying: string[] = [];
  for (const variant of c.variants) {
    for (const rest of c.rests) {
      plotted.forEach(({ count, label }, kind) => {
        const points = c.points
          .filter((p) => p.variant === variant && p.rest === rest)
          .flatMap((p) => {
            const values = measured(p, count);
            if (values.length === 0) return [];
            if (new Set(values).size > 1) varying.push(`${variant} ${label} at ${p.point}: ${[...new Set(values)].sort((a, b) => a - b).join('/')}`);
            return [{ disks: p.disks, value: median(values) }];
          });
        if (points.length > 0) lines.push({ label: `${rest ? `${variant} ${rest}` : variant}: ${label}`, variant, kind, points });
      });
    }
  }
  if (lines.length === 0) {
    return {
      skipped: `${c.name}: IRQ routing chart not drawn: no trial measured route commits, routes or irqfd fallbacks (they need KVM's in-kernel irqchip; under TCG they are null)`,
    };
  }
  const id = `${c.name}-irq`;
  const title = `IRQ routing work vs devices: ${c.name}`;
  const subtitle = [
    c.setup,
    'exact counts per boot (ok trials) · colour: variant · marker and dash: what is counted',
    ...(varying.length > 0 ? [`varies between trials (median drawn): ${varying.slice(0, 3).join('; ')}${varying.length > 3 ? '; …' : ''}`] : []),
  ];
  const description = `${title}. ${subtitle.join('. ')}. ${lines.map((l) => `${l.label}: ${l.points.map((p) => `${p.disks} devices ${p.value}`).join(', ')}`).join('; ')}.`;
  const disks = [...new Set(lines.flatMap((l) => l.points.map((p) => p.disks)))].sort((a, b) => a - b);
  return {
    chart: {
      id,
      title,
      description,
      config: (theme: Theme): ChartConfig => {
        const base = baseOptions(theme, title, subtitle);
        const kinds = plotted.filter((_, kind) => lines.some((l) => l.kind === kind));
        const variants = [...new Set(lines.map((l) => l.variant))];
        // A legend of variants (colours) and of counts (markers), not of every combination:
        // three variants × three counts would be nine entries to decode.
        const legendItems = [
          ...variants.map((v) => ({ text: v, fillStyle: model.colours.get(v)!, strokeStyle: model.colours.get(v)!, lineWidth: theme.lineWidth, pointStyle: 'line', hidden: false })),
          ...kinds.map((k) => ({
            text: k.label,
            fillStyle: theme.text,
            strokeStyle: theme.text,
            lineWidth: 1,
            pointStyle: k.pointStyle,
            hidden: false,
          })),
        ];
        const legendOptions = legend(theme);
        const fallbacks = kinds.some((k) => k.axis === 'y1');
        return {
          type: 'line',
          data: {
            datasets: lines.map((l) => {
              const colour = model.colours.get(l.variant)!;
              return {
                label: l.label,
                data: l.points.map((p) => ({ x: p.disks, y: p.value })),
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
              legend: { ...legendOptions, labels: { ...legendOptions.labels, usePointStyle: true, generateLabels: () => legendItems } },
            },
            scales: {
              x: axis(theme, 'linear', 'virtio-blk devices per guest', null, {
                min: 0,
                max: disks[disks.length - 1]! * 1.05,
                afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
                  scale.ticks = [0, ...disks].map((value) => ({ value }));
                },
                ticks: { callback: (v: number | string) => String(v) },
              }),
              y: axis(theme, 'linear', 'route commits, routes added per boot', null, { beginAtZero: true, ticks: { precision: 0 } }),
              ...(fallbacks
                ? {
                    y1: axis(theme, 'linear', 'irqfd fallbacks per boot', null, {
                      position: 'right',
                      beginAtZero: true,
                      suggestedMax: 4,
                      ticks: { precision: 0 },
                      grid: { drawOnChartArea: false },
                    }),
                  }
                : {}),
            },
          },
        };
      },
    },
  };
}
