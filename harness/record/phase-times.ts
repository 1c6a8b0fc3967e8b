import { z } from 'zod';
import { phaseNames, type PhaseName, type Phases } from './phases.js';

/** An Observation's phases: every timing, in ms, null where the trial did not reach its end. */
export const phaseTimesSchema: z.ZodType<Phases> = z.object(Object.fromEntries(phaseNames.map((n) => [n, z.number().nullable()])) as Record<PhaseName, z.ZodNullable<z.ZodNumber>>);
