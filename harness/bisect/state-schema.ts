import { z } from 'zod';
import { phaseNames, type PhaseName } from '../record/phases.js';

/**
 * What bisect.json holds: everything a bisect knows, rewritten atomically after each step, so an
 * interrupted bisect resumes without measuring any commit twice. BisectState is this schema's
 * type. A hand-edited or truncated file is an error naming its line and field, not a crash
 * halfway through a bisect. Unknown fields pass (a newer emuflock may add some) and are left out
 * of what is read.
 */
const ms = z.number().nonnegative('must be 0 or more (milliseconds)');
const runCount = z.number().int('must be a whole number').min(1, 'must be at least 1');
const sha = z.string().regex(/^[0-9a-f]{40}$/, 'a full commit sha (40 hex digits)');

export const commitStatuses = ['fast', 'slow', 'skip'] as const;

const commitSchema = z.object({
  sha,
  subject: z.string(),
  status: z.enum(commitStatuses),
  /** The metric of every ok trial, in ms. */
  values: z.array(ms),
  median: ms.optional(),
  lower: ms.optional(),
  upper: ms.optional(),
  /** Why a commit was skipped (build or boot failure). */
  reason: z.string().optional(),
  /** Order in which the bisect visited the commit, from 0 (calibration first). */
  visit: z.number().int().min(0),
  /** The midpoint the commit was classified against (ms). */
  midpoint: ms.optional(),
  /** Runs of the endpoints interleaved with this commit's, when it straddled the calibrated midpoint. */
  beside: z.object({ good: z.array(ms), bad: z.array(ms) }).optional(),
});

export const bisectStateSchema = z.object({
  version: z.literal(1, { error: 'version 1 (the only one this emuflock reads)' }),
  repo: z.string().min(1),
  good: sha,
  bad: sha,
  goodRev: z.string(),
  badRev: z.string(),
  caseName: z.string().min(1),
  caseText: z.string(),
  metric: z.enum(phaseNames as [PhaseName, ...PhaseName[]]),
  /** `paired`: the ends run beside every commit from its first run (`--paired`). */
  runs: z.object({ calibration: runCount, step: runCount, max: runCount, verify: runCount, paired: z.boolean().optional() }),
  calibration: z.object({ good: z.array(ms).min(1), bad: z.array(ms).min(1), midpoint: ms }).optional(),
  commits: z.record(z.string(), commitSchema),
  culprit: z.object({ sha, subject: z.string(), confirmed: z.boolean(), evidence: z.string() }).optional(),
});

export type BisectState = z.output<typeof bisectStateSchema>;
export type CommitRecord = z.output<typeof commitSchema>;
export type CommitStatus = (typeof commitStatuses)[number];
