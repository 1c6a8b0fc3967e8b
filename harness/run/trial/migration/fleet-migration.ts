import { performance } from 'node:perf_hooks';
import type { MigrateSpec } from '../../../case/migrate.js';
import type { HeldGuest } from '../../session/guest-run.js';
import { GuestMigrator } from './guest-migrator.js';
import { InFlight } from './in-flight.js';
import { PortRange } from './port-range.js';
import type { MigrationRecord } from '../../../record/migration.js';

export interface FleetMigrationOptions {
  binary: string;
  /** Each destination QEMU's pid as it starts (the fleet samples them with the sources). */
  onSpawn?: (pid: number) => void;
  log?: (line: string) => void;
}

/**
 * Live-migrates every held guest of a fleet at once (`undefined`: a guest that never got up).
 * All destinations are prepared first (a port each from one range, a QEMU listening on it),
 * then every source is told to migrate in the same moment: the talk's "concurrent live
 * migration", where the range runs out. Never throws; no destination outlives it.
 */
export async function migrateFleet(held: (HeldGuest | undefined)[], spec: MigrateSpec, opts: FleetMigrationOptions): Promise<MigrationRecord> {
  const range = new PortRange(spec.ports.from, spec.ports.count);
  const migrators = held.map((guest, index) => new GuestMigrator(index, guest, range, opts.binary, opts.onSpawn));
  const inFlight = new InFlight();
  let started: GuestMigrator[] = [];
  let startAt: number | undefined;
  try {
    const prepared = await Promise.all(migrators.map((m) => m.prepare()));
    started = migrators.filter((_, i) => prepared[i]);
    opts.log?.(`  migrating ${started.length} of ${held.length} guests at once (ports ${range.from}-${range.last})`);
    startAt = performance.now();
    const deadline = startAt + spec.timeoutS * 1000;
    await Promise.all(started.map((m) => m.migrate(deadline, inFlight, spec.maxBandwidthMiBs)));
  } finally {
    await Promise.all(migrators.map((m) => m.end()));
  }
  const perGuest = migrators.map((m) => m.result());
  return {
    ports: { from: spec.ports.from, count: spec.ports.count },
    started: started.length,
    completed: perGuest.filter((g) => g.outcome === 'completed').length,
    allEndedMs: startAt !== undefined && inFlight.lastEndAt !== undefined ? inFlight.lastEndAt - startAt : null,
    peakInFlight: inFlight.peak,
    perGuest,
  };
}
