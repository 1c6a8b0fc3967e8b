import { z } from 'zod';
import { phaseNames, type PhaseName, type Phases } from './phases.js';

/**
 * A phase's time as a journal may hold it: a duration, so not negative, and at most 100 days (a
 * trial's timeouts end it long before); anything else is a damaged or edited line, which the
 * readers refuse rather than average.
 */
const phaseMs = z
  .number({ error: (issue) => (typeof issue.input === 'number' ? 'a number out of range' : 'expected a number of milliseconds, or null') })
  .min(0, 'a duration is not negative').max(100 * 24 * 3600 * 1000, 'more than 100 days: not a time a trial records');

/** An Observation's phases: every timing, in ms, null where the trial did not reach its end. */
export const phaseTimesSchema: z.ZodType<Phases> = z.object(Object.fromEntries(phaseNames.map((n) => [n, phaseMs.nullable()])) as Record<PhaseName, z.ZodNullable<typeof phaseMs>>);
