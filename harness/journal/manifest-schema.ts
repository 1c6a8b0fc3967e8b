import { z } from 'zod';
import { phaseNames } from '../record/phases.js';

/**
 * What run.json must hold for emuflock to resume, compare or report a run (run-dir.ts has the
 * type, RunManifest). Unknown fields pass: a newer emuflock may add some.
 */
const wholeNumber = z.number().int('must be a whole number').min(0, 'must be 0 or more');
const shard = z.looseObject({ index: wholeNumber.min(1), count: wholeNumber.min(1) });

export const manifestSchema = z.looseObject({
  runId: z.string().min(1),
  createdAt: z.string(),
  emuflockVersion: z.string(),
  argv: z.array(z.string()),
  seed: wholeNumber,
  cases: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        file: z.string().min(1),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex'),
        text: z.string(),
      }),
    )
    .min(1, 'a run holds at least one case'),
  trials: wholeNumber,
  adaptive: z.looseObject({ metric: z.enum(phaseNames as [string, ...string[]]), threshold: z.number().positive(), alpha: z.number().gt(0).lt(1) }).optional(),
  shard: shard.optional(),
  merged: z
    .looseObject({
      argv: z.array(z.string()),
      sources: z.array(z.looseObject({ runId: z.string(), dir: z.string(), shard: shard.nullable(), hosts: z.array(z.string()), trials: wholeNumber })),
      missing: z.array(z.string()),
    })
    .optional(),
});
