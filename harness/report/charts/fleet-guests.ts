/**
 * Each guest of a fleet, in start order: its own phases from spawn to ready, and the CPU it
 * used while it waited, ready and idle, for the rest. A fleet whose later guests boot slower
 * shows why here: every idle guest's CPU is taken from the guests still booting.
 */
import type { CaseModel, VariantPoint } from '../model.js';
import { phaseColours } from '../palette.js';
import type { Theme } from '../theme.js';
import { secs } from '../units.js';
import { chartOf, type ChartConfig, type ChartOutcome } from './chart.js';
import { axis, baseOptions, dash, legend, niceCeil } from './furniture.js';
import type { GuestRecord } from '../../record/fleet.js';
import { phaseTable } from '../../record/phases.js';

/** A guest's start-up, spawn → ready. */
const bars = phaseTable.filter((p) => p.startup);

export function fleetGuestsChart(c: CaseModel): ChartOutcome | undefined {
  const fleets = c.points.filter((p) => (p.params.guests ?? 1) > 1);
  if (fleets.length === 0) return undefined;
  const largest = Math.max(...fleets.map((p) => p.params.guests ?? 1));
  const shown = c.variants.map((v) => fleets.find((p) => p.variant === v && p.params.guests === largest && p.used.length > 0)).find((p) => p !== undefined);
  if (!shown) return { skipped: `guests of the fleet not drawn: no fleet of ${largest} guests got all its guests up` };
  const trial = shown.used[0]!;
  const guests = [...(trial.guests ?? [])].sort((a, b) => a.index - b.index);
  const title = `Each guest of the fleet: ${c.name}`;
  const subtitle = [
    c.setup,
    `${largest} guests, ${pointLabel(shown)}, variant ${shown.variant}, trial ${trial.rep + 1} (${shown.used.length} ended ok) · ${trial.fleet?.startConcurrency ?? '?'} start at once`,
    "bars: each guest's phases, spawn → ready, in start order · dotted (right): CPUs it used while it held, idle, for the rest",
    ...c.leftOut,
  ];
  const inWords = guests
    .map((g) => `guest ${g.index + 1}: ready ${readyIn(g)} after its spawn${g.heldCpu !== undefined ? `, held at ${g.heldCpu.toFixed(2)} CPU` : ''}`)
    .join('; ');
  return chartOf({ caseName: c.name, id: `${c.name}-fleet-guests`, title, subtitle, inWords, config: (theme) => config(theme, guests, title, subtitle) });
}

function config(theme: Theme, guests: GuestRecord[], title: string, subtitle: string[]): ChartConfig {
  const base = baseOptions(theme, title, subtitle);
  const held = guests.map((g) => g.heldCpu ?? null);
  const heldMax = Math.max(0.1, ...held.filter((h): h is number => h !== null));
  return {
    type: 'bar',
    data: {
      labels: guests.map((g) => String(g.index + 1)),
      datasets: [
        ...bars.map((b) => ({
          label: b.label,
          data: guests.map((g) => (g.phases[b.ms] === null ? null : g.phases[b.ms]! / 1000)),
          backgroundColor: phaseColours[b.ms],
          borderColor: '#ffffff',
          borderWidth: Math.max(1, theme.lineWidth / 3),
          stack: 'phases',
          yAxisID: 'y',
          order: 1,
        })),
        {
          type: 'line',
          label: 'CPU while held',
          data: held,
          borderColor: '#444444',
          backgroundColor: '#444444',
          borderWidth: theme.lineWidth,
          borderDash: dash(theme, 2),
          pointRadius: theme.pointRadius,
          yAxisID: 'y2',
          // Drawn over the bars.
          order: 0,
        },
      ],
    },
    options: {
      ...base,
      plugins: { ...base.plugins, legend: legend(theme) },
      scales: {
        x: axis(theme, 'category', 'guest, in start order', null, { stacked: true }),
        y: axis(theme, 'linear', 'time from its spawn', 's', { stacked: true, beginAtZero: true }),
        y2: axis(theme, 'linear', 'CPUs used while held', null, { min: 0, max: niceCeil(heldMax * 1.1), position: 'right', grid: { drawOnChartArea: false } }),
      },
    },
  };
}

function readyIn(g: GuestRecord): string {
  const t = g.phases.totalMs;
  return t === null ? `never (${g.outcome})` : `${secs(t)} s`;
}

function pointLabel(p: VariantPoint): string {
  return p.rest ? `${p.disks} disks, ${p.rest}` : `${p.disks} disks`;
}
