/**
 * Guests per host: the time to bring a whole fleet up against its size, and what the host paid
 * for it. Solid: first spawn → last guest ready (the talk's "start 1000 guests"); dashed: the
 * slowest guest's own start-up, so a reader sees whether the fleet is slow because guests wait
 * for a start slot or because each guest boots slower beside idle ones. Dotted, right axis:
 * the host's peak memory of all QEMUs together.
 */
import { median } from '../../analyze/index.js';
import type { CaseModel, ReportModel, VariantPoint } from '../model.js';
import type { Theme } from '../theme.js';
import { chartOf, type ChartConfig, type ChartOutcome } from './chart.js';
import { againstGuestsConfig, guestsSeries, type GuestsLine } from './against-guests.js';
import { restLabel } from '../../case/point.js';

interface FleetPoint {
  guests: number;
  allUpS: number;
  slowestS: number;
  memoryGiB: number;
}

type FleetLine = GuestsLine<FleetPoint>;

export function fleetChart(model: ReportModel, c: CaseModel): ChartOutcome | undefined {
  const guestCounts = [...new Set(c.points.map((p) => p.params.guests ?? 1))].sort((a, b) => a - b);
  if (guestCounts.length < 2) return undefined;
  const lines: FleetLine[] = [];
  for (const variant of c.variants) {
    const byRest = new Map<string, VariantPoint[]>();
    for (const p of c.points.filter((p) => p.variant === variant)) {
      const rest = restLabel(p.params, c.swept, ['guests']);
      byRest.set(rest, [...(byRest.get(rest) ?? []), p]);
    }
    for (const [rest, points] of byRest) {
      const fleetPoints = points.map(fleetPointOf).filter((p): p is FleetPoint => p !== undefined).sort((a, b) => a.guests - b.guests);
      if (fleetPoints.length === 0) continue;
      lines.push({ label: rest ? `${variant} ${rest}` : variant, colour: model.colours.get(variant)!, points: fleetPoints });
    }
  }
  if (lines.length === 0) return { skipped: `fleet chart not drawn: no fleet got all its guests up` };
  const title = `Fleet start-up vs guests: ${c.name}`;
  const subtitle = [
    c.setup,
    'solid: first spawn → last guest ready · dashed: the slowest guest, spawn → ready · dotted (right): host peak memory, all QEMUs',
    'medians over trials; a guest holds after ready until the whole fleet is up',
    ...c.leftOut,
  ];
  return chartOf({
    caseName: c.name,
    id: `${c.name}-fleet`,
    title,
    subtitle,
    inWords: lines
      .map((l) => `${l.label}: ${l.points.map((p) => `${p.guests} guests up in ${p.allUpS.toFixed(1)} s, slowest ${p.slowestS.toFixed(1)} s, ${p.memoryGiB.toFixed(2)} GiB`).join('; ')}`)
      .join('. '),
    config: (theme) => config(theme, lines, guestCounts, title, subtitle),
  });
}

function fleetPointOf(p: VariantPoint): FleetPoint | undefined {
  // A one-guest trial is a fleet of one: up when its guest is ready.
  const up = p.used.map((o) => (o.fleet ? o.fleet.allReadyMs : o.phases.totalMs)).filter((x): x is number => x !== null);
  const memory = p.used.map((o) => o.resources.rssPeakKiB).filter((x): x is number => x !== null);
  if (up.length === 0 || p.total === null) return undefined;
  return {
    guests: p.params.guests ?? 1,
    allUpS: median(up) / 1000,
    slowestS: p.total.median / 1000,
    memoryGiB: memory.length > 0 ? median(memory) / 1024 / 1024 : NaN,
  };
}

function config(theme: Theme, lines: FleetLine[], guests: number[], title: string, subtitle: string[]): ChartConfig {
  const datasets = lines.flatMap((l) => [
    guestsSeries(theme, l, 'fleet up', (p) => p.allUpS, 0, 'y'),
    guestsSeries(theme, l, 'slowest guest', (p) => p.slowestS, 1, 'y'),
    guestsSeries(theme, l, 'host memory', (p) => p.memoryGiB, 2, 'y2'),
  ]);
  const maxS = Math.max(...lines.flatMap((l) => l.points.flatMap((p) => [p.allUpS, p.slowestS])));
  const maxGiB = Math.max(...lines.flatMap((l) => l.points.map((p) => p.memoryGiB)).filter(Number.isFinite), 0.1);
  return againstGuestsConfig(theme, title, subtitle, datasets, { guests, xTitle: 'guests alive together', maxS, right: { title: 'host memory', unit: 'GiB', max: maxGiB } });
}
