/**
 * Concurrent live migration against the number of guests migrating together (case
 * `migrate:`). Left axis, seconds: solid, the trial's time from every `migrate` sent to the last
 * migration ended; dashed, one guest's migration (QEMU's total-time, median over completed
 * guests). Right axis, milliseconds: dotted, one guest's downtime (median). Guests that could
 * not migrate (no port left in the range) are said in the subtitle: the points past the range
 * are medians over the guests that got a port.
 */
import type { CaseModel, ReportModel } from '../model.js';
import { migrationPoints, type MigrationPoint } from '../migration-summary.js';
import type { Theme } from '../theme.js';
import { chartOf, type ChartConfig, type ChartOutcome } from './chart.js';
import { againstGuestsConfig, guestsSeries, type GuestsLine } from './against-guests.js';

type MigrationLine = GuestsLine<MigrationPoint>;

export function migrationChart(model: ReportModel, c: CaseModel): ChartOutcome | undefined {
  const all = migrationPoints(c);
  if (all.length === 0) return undefined;
  const lines: MigrationLine[] = c.variants
    .map((variant) => ({
      label: variant,
      colour: model.colours.get(variant)!,
      points: all.filter((p) => p.variant === variant && p.allEndedMs !== null && p.totalMs !== null).sort((a, b) => a.guests - b.guests),
    }))
    .filter((l) => l.points.length > 0);
  if (lines.length === 0) return { skipped: 'migration chart not drawn: no migration completed' };
  const guests = [...new Set(lines.flatMap((l) => l.points.map((p) => p.guests)))].sort((a, b) => a - b);
  const short = all.filter((p) => p.completed < p.guests).map((p) => `${p.variant} at ${p.guests} guests: ${p.completed} migrated`);
  const ports = all[0]!.ports;
  const title = `Concurrent live migration vs guests: ${c.name}`;
  const subtitle = [
    c.setup,
    `all guests told to migrate at once, TCP on 127.0.0.1, ports ${ports.from}-${ports.from + ports.count - 1} (${ports.count})`,
    'solid: all migrations ended · dashed: one guest\'s total time (median) · dotted (right): one guest\'s downtime (median)',
    ...(short.length > 0 ? [`guests without a migration: ${short.join('; ')} (see the table)`] : []),
  ];
  return chartOf({
    caseName: c.name,
    id: `${c.name}-migration`,
    title,
    subtitle,
    inWords: lines
      .map(
        (l) =>
          `${l.label}: ${l.points
            .map((p) => `${p.guests} guests, ${p.completed} migrated, all ended in ${(p.allEndedMs! / 1000).toFixed(1)} s, one guest ${(p.totalMs!.median / 1000).toFixed(2)} s, downtime ${p.downtimeMs?.median ?? '-'} ms`)
            .join('; ')}`,
      )
      .join('. '),
    config: (theme) => config(theme, lines, guests, title, subtitle),
  });
}

function config(theme: Theme, lines: MigrationLine[], guests: number[], title: string, subtitle: string[]): ChartConfig {
  const datasets = lines.flatMap((l) => [
    guestsSeries(theme, l, 'all ended', (p) => p.allEndedMs! / 1000, 0, 'y'),
    guestsSeries(theme, l, 'one guest', (p) => p.totalMs!.median / 1000, 1, 'y'),
    guestsSeries(theme, l, 'downtime', (p) => p.downtimeMs?.median ?? null, 2, 'y2'),
  ]);
  const maxS = Math.max(...lines.flatMap((l) => l.points.flatMap((p) => [p.allEndedMs! / 1000, p.totalMs!.median / 1000])));
  const maxDowntime = Math.max(1, ...lines.flatMap((l) => l.points.map((p) => p.downtimeMs?.median ?? 0)));
  return againstGuestsConfig(theme, title, subtitle, datasets, { guests, xTitle: 'guests in the fleet (M)', maxS, right: { title: 'downtime', unit: 'ms', max: maxDowntime } });
}
