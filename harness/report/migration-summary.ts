/**
 * A migrating case's figures per variant and point (case `migrate:`): what the migration
 * chart and table both show, computed once so that they agree. Per-guest figures pool every
 * completed migration of the point's counted trials; per-trial figures are medians over trials.
 */
import { median } from '../analyze/index.js';
import type { CaseModel } from './model.js';
import type { GuestMigration, MigrationRecord } from '../record/migration.js';

export interface MigrationPoint {
  variant: string;
  point: string;
  guests: number;
  /** Counted trials that recorded a migration. */
  trials: number;
  ports: MigrationRecord['ports'];
  /** Guests per trial, medians over trials. */
  started: number;
  completed: number;
  peakInFlight: number;
  /** Median over trials of `migrate` sent → last migration ended; null when none ended. */
  allEndedMs: number | null;
  /** Over every completed migration of every trial. */
  totalMs: Spread | null;
  downtimeMs: Spread | null;
  resumeMs: Spread | null;
  transferredBytes: number | null;
  /** Each reason a guest did not complete, with how many guests gave it over all trials. */
  failures: { outcome: string; reason: string; guests: number }[];
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function migrationPoints(c: CaseModel): MigrationPoint[] {
  return c.points.flatMap((p): MigrationPoint[] => {
    const records = p.trials.map((o) => o.migration).filter((m): m is MigrationRecord => m !== undefined);
    if (records.length === 0) return [];
    const done = records.flatMap((m) => m.perGuest.filter((g) => g.outcome === 'completed'));
    const ended = records.map((m) => m.allEndedMs).filter((x): x is number => x !== null);
    return [
      {
        variant: p.variant,
        point: p.point,
        guests: p.params.guests ?? 1,
        trials: records.length,
        ports: records[0]!.ports,
        started: median(records.map((m) => m.started)),
        completed: median(records.map((m) => m.completed)),
        peakInFlight: median(records.map((m) => m.peakInFlight)),
        allEndedMs: ended.length > 0 ? median(ended) : null,
        totalMs: spreadOf(done, (g) => g.totalMs),
        downtimeMs: spreadOf(done, (g) => g.downtimeMs),
        resumeMs: spreadOf(done, (g) => g.resumeMs),
        transferredBytes: spreadOf(done, (g) => g.transferredBytes)?.median ?? null,
        failures: failuresOf(records),
      },
    ];
  });
}

function spreadOf(guests: GuestMigration[], value: (g: GuestMigration) => number | null): Spread | null {
  const xs = guests.map(value).filter((x): x is number => x !== null);
  return xs.length === 0 ? null : { min: Math.min(...xs), median: median(xs), max: Math.max(...xs) };
}

function failuresOf(records: MigrationRecord[]): MigrationPoint['failures'] {
  const counts = new Map<string, { outcome: string; reason: string; guests: number }>();
  for (const g of records.flatMap((m) => m.perGuest)) {
    if (g.outcome === 'completed') continue;
    const reason = g.reason ?? '';
    const key = `${g.outcome}\u0000${reason}`;
    counts.set(key, { outcome: g.outcome, reason, guests: (counts.get(key)?.guests ?? 0) + 1 });
  }
  return [...counts.values()];
}
