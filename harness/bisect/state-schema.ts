import { z } from 'zod';
import { phaseNames } from '../record/phases.js';

/**
 * What bisect.json must hold for `emuflock bisect --resume` (state.ts has the type,
 * BisectState): a hand-edited or truncated file is an error naming its line and field, not a
 * crash halfway through a bisect. Unknown fields pass: a newer emuflock may add some.
 */
const ms = z.number().nonnegative('must be 0 or more (milliseconds)');
const runCount = z.number().int('must be a whole number').min(1, 'must be at least 1');
const sha = z.string().regex(/^[0-9a-f]{40}$/, 'a full commit sha (40 hex digits)');

const commitSchema = z.looseObject({
  sha,
  subject: z.string(),
  status: z.enum(['fast', 'slow', 'skip']),
  values: z.array(ms),
  median: ms.optional(),
  lower: ms.optional(),
  upper: ms.optional(),
  reason: z.string().optional(),
  visit: z.number().int().min(0),
  midpoint: ms.optional(),
  beside: z.looseObject({ good: z.array(ms), bad: z.array(ms) }).optional(),
});

export const bisectStateSchema = z.looseObject({
  version: z.literal(1, { error: 'version 1 (the only one this emuflock reads)' }),
  repo: z.string().min(1),
  good: sha,
  bad: sha,
  goodRev: z.string(),
  badRev: z.string(),
  caseName: z.string().min(1),
  caseText: z.string(),
  metric: z.enum(phaseNames as [string, ...string[]]),
  runs: z.looseObject({ calibration: runCount, step: runCount, max: runCount, verify: runCount, paired: z.boolean().optional() }),
  calibration: z.looseObject({ good: z.array(ms).min(1), bad: z.array(ms).min(1), midpoint: ms }).optional(),
  commits: z.record(z.string(), commitSchema),
  culprit: z.looseObject({ sha, subject: z.string(), confirmed: z.boolean(), evidence: z.string() }).optional(),
});
