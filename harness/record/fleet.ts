import { z } from 'zod';
import { countsSchema } from './counts.js';
import { guestReportSchema } from './guest-report.js';
import { outcomeSchema, trialErrorSchema } from './outcome.js';
import { phaseTimesSchema } from './phase-times.js';
import { resourcePeaksSchema } from './resources.js';

/** One guest of a fleet (a trial of `guests: M`): what its own boot measured. */
export const guestRecordSchema = z.object({
  index: z.number(),
  /** When its QEMU was spawned, ms after the fleet's first spawn (null: never spawned). */
  spawnMs: z.number().nullable(),
  outcome: outcomeSchema,
  phases: phaseTimesSchema,
  guest: guestReportSchema,
  counts: countsSchema,
  resources: resourcePeaksSchema,
  /**
   * CPUs its QEMU used while it was ready and held (1 = one CPU), waiting for the rest of the
   * fleet: an idle guest's cost, which bounds guests per host as surely as memory does.
   */
  heldCpu: z.number().optional(),
  error: trialErrorSchema.optional(),
});
export type GuestRecord = z.infer<typeof guestRecordSchema>;

/** How a fleet ran as a whole. */
export const fleetRecordSchema = z.object({
  guests: z.number(),
  /** Guests allowed to be starting (spawned, not yet ready) at once. */
  startConcurrency: z.number(),
  /** First spawn → last ready marker: the time to bring the whole fleet up; null if one failed. */
  allReadyMs: z.number().nullable(),
  /** The most QEMUs alive at once (= guests when the whole fleet was up together). */
  peakAlive: z.number(),
});
export type FleetRecord = z.infer<typeof fleetRecordSchema>;
