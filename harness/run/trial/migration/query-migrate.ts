/**
 * QMP `query-migrate` as the harness reads it. QEMU (7.2 here) gives total-time, downtime and
 * setup-time in ms and ram.transferred in bytes once the migration has completed (total-time
 * and ram while it is active too); fields absent from a status are null here, never 0.
 */
export interface MigrationStatus {
  /** none, setup, active, completed, failed, cancelling, cancelled, ... (QEMU's MigrationStatus). */
  status: string;
  totalMs: number | null;
  downtimeMs: number | null;
  setupMs: number | null;
  transferredBytes: number | null;
  /** QEMU's reason for a failed migration (error-desc). */
  errorDesc: string | null;
}

const endStates = new Set(['completed', 'failed', 'cancelled']);

/** A status after which nothing more happens to this migration. */
export function migrationEnded(s: MigrationStatus): boolean {
  return endStates.has(s.status);
}

export function parseQueryMigrate(ret: unknown): MigrationStatus {
  if (typeof ret !== 'object' || ret === null) throw new Error(`query-migrate returned ${JSON.stringify(ret)}, not an object`);
  const r = ret as Record<string, unknown>;
  // An empty return is QEMU's way of saying no migration has been started (status none).
  const status = r.status === undefined ? 'none' : r.status;
  if (typeof status !== 'string') throw new Error(`query-migrate's status is ${JSON.stringify(status)}, not a string`);
  const ram = typeof r.ram === 'object' && r.ram !== null ? (r.ram as Record<string, unknown>) : {};
  return {
    status,
    totalMs: numberOrNull(r['total-time']),
    downtimeMs: numberOrNull(r.downtime),
    setupMs: numberOrNull(r['setup-time']),
    transferredBytes: numberOrNull(ram.transferred),
    errorDesc: typeof r['error-desc'] === 'string' ? r['error-desc'] : null,
  };
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
