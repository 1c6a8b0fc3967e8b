/**
 * Phase time against disk count, each growing phase's line named after its hottest QEMU
 * function at the largest disk count (from perf profiles): the chart that says not only that
 * start-up grows but where, e.g. "QEMU init ← drive_get (46%)".
 */
import { hottestUserFunction, mergePhase } from '../profile-merge.js';
import { phaseTable } from '../../record/phases.js';
import type { CaseModel, ReportModel } from '../model.js';
import type { Theme } from '../theme.js';
import { chartOf, type ChartConfig, type ChartOutcome } from './chart.js';
import { axis, baseOptions, dash, legend } from './furniture.js';

/** The phases start-up is made of: the ones that can grow with the disk count. */
const phases = phaseTable.filter((p) => p.startup);

/** A phase "grows" when it at least doubles from the smallest to the largest disk count. */
const growth = 2;

interface Line {
  label: string;
  colour: string;
  dashIndex: number;
  points: { x: number; y: number }[];
}

/** Undefined when nothing in the case was profiled: no chart and nothing to explain. */
export function profileChart(model: ReportModel, c: CaseModel): ChartOutcome | undefined {
  if (!c.points.some((p) => p.trials.some((o) => o.profile))) return undefined;
  if (c.disks.length < 2) return { skipped: `phase profile vs disks not drawn: the case boots one disk count` };
  const lines: Line[] = [];
  for (const variant of c.variants) {
    const points = c.points.filter((p) => p.variant === variant && p.rest === (c.rests[0] ?? '')).sort((a, b) => a.disks - b.disks);
    phases.forEach(({ key, ms, label }, i) => {
      const xy = points.filter((p) => p.phaseMedians[ms] !== null).map((p) => ({ x: p.disks, y: p.phaseMedians[ms]! / 1000 }));
      if (xy.length < 2 || xy[xy.length - 1]!.y < growth * xy[0]!.y) return;
      const merged = mergePhase(points[points.length - 1]!.trials, key);
      const owner = merged ? hottestUserFunction(merged) : undefined;
      lines.push({
        label: `${variant} · ${label}${owner ? ` ← ${owner.symbol} (${Math.round(owner.share * 100)}%)` : ''}`,
        colour: model.colours.get(variant)!,
        dashIndex: i,
        points: xy,
      });
    });
  }
  if (lines.length === 0) return { skipped: `phase profile vs disks not drawn: no phase of any variant grows ${growth}x across the disk counts` };
  const title = `Where start-up grows: ${c.name}`;
  const subtitle = [c.setup, `lines: median time of each phase that grows ${growth}x or more · ← its hottest QEMU function at ${c.disks[c.disks.length - 1]} disks (perf, share of the phase's samples)`, ...c.leftOut];
  return chartOf({
    caseName: c.name,
    id: `${c.name}-profile`,
    title,
    subtitle,
    inWords: `Lines: ${lines.map((l) => `${l.label}: ${l.points.map((p) => `${p.x} disks ${p.y.toFixed(2)} s`).join(', ')}`).join('; ')}`,
    config: (theme) => config(theme, lines, c.disks, title, subtitle),
  });
}

function config(theme: Theme, lines: Line[], disks: number[], title: string, subtitle: string[]): ChartConfig {
  const base = baseOptions(theme, title, subtitle);
  return {
    type: 'line',
    data: {
      datasets: lines.map((l) => ({
        label: l.label,
        data: l.points,
        borderColor: l.colour,
        backgroundColor: l.colour,
        borderWidth: theme.lineWidth,
        borderDash: dash(theme, l.dashIndex),
        pointRadius: theme.pointRadius,
        fill: false,
      })),
    },
    options: {
      ...base,
      plugins: { ...base.plugins, legend: legend(theme) },
      scales: {
        x: axis(theme, 'linear', 'virtio-blk disks per guest', null, {
          min: 0,
          max: disks[disks.length - 1]! * 1.05,
          afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
            scale.ticks = [0, ...disks].map((value) => ({ value }));
          },
          ticks: { callback: (v: number | string) => String(v) },
        }),
        y: axis(theme, 'linear', 'phase time', 's', { beginAtZero: true }),
      },
    },
  };
}
