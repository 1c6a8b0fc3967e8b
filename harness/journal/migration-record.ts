/**
 * What a trial's live migration of its fleet measured (case `migrate:`, run/trial/migration/).
 * Times of a migration are QEMU's own, from the source's `query-migrate` once it ended.
 */

/**
 * - completed: the source said so and the destination runs the guest
 * - failed / cancelled: the source's migration status, with QEMU's error-desc
 * - timeout: still going at the case's timeoutS; it was cancelled
 * - no-port: the range had no free port left (libvirt's "Unable to find an unused port")
 * - destination-failed: the destination QEMU did not start, listen, or run the guest after
 * - not-booted: the guest never got up, so there was nothing to migrate
 */
export type MigrationOutcome = 'completed' | 'failed' | 'cancelled' | 'timeout' | 'no-port' | 'destination-failed' | 'not-booted';

export interface GuestMigration {
  /** The fleet guest's index (GuestRecord.index). */
  index: number;
  outcome: MigrationOutcome;
  /** Why it did not complete, in QEMU's or the allocator's words. */
  reason?: string;
  /** The destination's TCP port on 127.0.0.1; null when none was allocated. */
  port: number | null;
  /** query-migrate's total-time, downtime and setup-time (ms) and ram.transferred (bytes). */
  totalMs: number | null;
  downtimeMs: number | null;
  setupMs: number | null;
  transferredBytes: number | null;
  /** The source's completion → the destination `running` after `cont` (libvirt's resume step). */
  resumeMs: number | null;
  /** The destination reported `running` in query-status after the migration; null: not reached. */
  destinationRunning: boolean | null;
}

export interface MigrationRecord {
  /** The case's port range. */
  ports: { from: number; count: number };
  /** Guests that got a port and a destination, and were told to migrate. */
  started: number;
  completed: number;
  /** All `migrate` commands sent → the last migration ended (completed or not); null: none started. */
  allEndedMs: number | null;
  /** The most migrations under way at once (told to migrate, not yet ended). */
  peakInFlight: number;
  perGuest: GuestMigration[];
}
