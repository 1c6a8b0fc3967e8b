import { z } from 'zod';
import { countsSchema } from './counts.js';
import { fleetRecordSchema, guestRecordSchema } from './fleet.js';
import { guestReportSchema } from './guest-report.js';
import { hostRecordSchema } from './host.js';
import { migrationRecordSchema } from './migration.js';
import { outcomeSchema, trialErrorSchema } from './outcome.js';
import { trialParamsSchema } from './params.js';
import { phaseTimesSchema } from './phase-times.js';
import { profileSchema } from './profile.js';
import { resourcePeaksSchema } from './resources.js';
import { variantRecordSchema } from './variant.js';

/** Bumped when a field changes meaning; readers refuse journals of a newer schema. */
export const observationSchemaVersion = 1;

/**
 * What one trial produced: one line of a run's journal (journal/journal.ts writes and reads it,
 * checking each line against this). Unknown fields pass, so that a journal a newer emuflock
 * wrote with the same schema number still reads; fields added since the first journals are
 * optional.
 */
export const observationSchema = z.object({
  schema: z.number(),
  runId: z.string(),
  /** `case/variant/point/rN` (warm-ups `wN`): stable across runs of the same case and across a resume. */
  trialId: z.string().min(1),
  case: z.string().min(1),
  /** The swept parameters' values, e.g. `disks=8 drives=blockdev` (case/point.ts): for people, never parsed back. */
  point: z.string(),
  rep: z.number(),
  warmup: z.boolean(),
  /** Position in the run's shuffled order, from 0. */
  order: z.number(),
  /** Wall-clock start, ISO 8601. */
  startedAt: z.string(),
  variant: variantRecordSchema,
  params: trialParamsSchema,
  guestAssets: z.object({ kernelPackage: z.string(), kernelVersion: z.string(), busyboxVersion: z.string() }),
  host: hostRecordSchema,
  phases: phaseTimesSchema,
  guest: guestReportSchema,
  counts: countsSchema,
  resources: resourcePeaksSchema,
  outcome: outcomeSchema,
  /**
   * A fleet trial: every guest's own record. The top-level phases are then the slowest ready
   * guest's, counts the sum over guests, resources the host's peak of all QEMUs together, and
   * outcome and error the first failed guest's.
   */
  guests: z.array(guestRecordSchema).optional(),
  fleet: fleetRecordSchema.optional(),
  /** A case with `migrate:`: every guest's live migration, all started at once. */
  migration: migrationRecordSchema.optional(),
  /** Per phase: the hottest symbols, when profiled. */
  profile: profileSchema.optional(),
  /** Why a profile was asked for and not recorded. */
  profileError: z.string().optional(),
  error: trialErrorSchema.optional(),
});
export type Observation = z.infer<typeof observationSchema>;
