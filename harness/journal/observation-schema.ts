import { z } from 'zod';
import { phaseNames } from './observation.js';

/**
 * What every journal line must hold for compare, report and merge to read it (observation.ts
 * has the full type). Checked per line on reading, so a damaged or hand-written line is
 * refused naming its line and field, rather than failing somewhere in the statistics.
 * Fields the readers do not need, and unknown ones, pass.
 */
const ms = z.number().nullable();
const count = z.number().nullable();

export const observationLineSchema = z.looseObject({
  schema: z.number(),
  runId: z.string(),
  trialId: z.string().min(1),
  case: z.string().min(1),
  point: z.string(),
  rep: z.number(),
  warmup: z.boolean(),
  order: z.number(),
  variant: z.looseObject({ name: z.string().min(1), buildKey: z.string() }),
  params: z.looseObject({ arch: z.string(), accel: z.string(), disks: z.number(), queues: z.number() }),
  guestAssets: z.looseObject({}),
  host: z.looseObject({}),
  phases: z.looseObject(Object.fromEntries(phaseNames.map((p) => [p, ms]))),
  guest: z.looseObject({ disksSeen: count }),
  counts: z.record(z.string(), count),
  resources: z.looseObject({ rssPeakKiB: count }),
  outcome: z.enum(['ok', 'timeout', 'qemu-crashed', 'guest-failed', 'refused-by-preflight']),
});
