import { z } from 'zod';

/**
 * What a trial's live migration of its fleet measured (case `migrate:`, run/trial/migration/).
 * Times of a migration are QEMU's own, from the source's `query-migrate` once it ended.
 *
 * A guest's outcome:
 * - completed: the source said so and the destination runs the guest
 * - failed / cancelled: the source's migration status, with QEMU's error-desc
 * - timeout: still going at the case's timeoutS; it was cancelled
 * - no-port: the range had no free port left (libvirt's "Unable to find an unused port")
 * - destination-failed: the destination QEMU did not start, listen, or run the guest after
 * - not-booted: the guest never got up, so there was nothing to migrate
 */
export const migrationOutcomes = ['completed', 'failed', 'cancelled', 'timeout', 'no-port', 'destination-failed', 'not-booted'] as const;
export type MigrationOutcome = (typeof migrationOutcomes)[number];

const ms = z.number().nullable();

export const guestMigrationSchema = z.object({
  /** The fleet guest's index (GuestRecord.index). */
  index: z.number(),
  outcome: z.enum(migrationOutcomes),
  /** Why it did not complete, in QEMU's or the allocator's words. */
  reason: z.string().optional(),
  /** The destination's TCP port on 127.0.0.1; null when none was allocated. */
  port: z.number().nullable(),
  /** query-migrate's total-time, downtime and setup-time (ms) and ram.transferred (bytes). */
  totalMs: ms,
  downtimeMs: ms,
  setupMs: ms,
  transferredBytes: z.number().nullable(),
  /** The source's completion → the destination `running` after `cont` (libvirt's resume step). */
  resumeMs: ms,
  /** The destination reported `running` in query-status after the migration; null: not reached. */
  destinationRunning: z.boolean().nullable(),
});
export type GuestMigration = z.infer<typeof guestMigrationSchema>;

export const migrationRecordSchema = z.object({
  /** The case's port range. */
  ports: z.object({ from: z.number(), count: z.number() }),
  /** Guests that got a port and a destination, and were told to migrate. */
  started: z.number(),
  completed: z.number(),
  /** All `migrate` commands sent → the last migration ended (completed or not); null: none started. */
  allEndedMs: ms,
  /** The most migrations under way at once (told to migrate, not yet ended). */
  peakInFlight: z.number(),
  perGuest: z.array(guestMigrationSchema),
});
export type MigrationRecord = z.infer<typeof migrationRecordSchema>;
