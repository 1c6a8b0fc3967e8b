import { z } from 'zod';
import { phaseNames, type PhaseName } from '../record/phases.js';

/**
 * What run.json holds: enough to resume a run, compare, report or reproduce it, written once at
 * its start. RunManifest is this schema's type. Unknown fields pass (a newer emuflock may add
 * some) and are left out of what is read.
 */
const wholeNumber = z.number().int('must be a whole number').min(0, 'must be 0 or more');
/** Set by `emuflock run --shard I/N`: the run holds only that part of the plan (seed, cases). */
const shard = z.object({ index: wholeNumber.min(1), count: wholeNumber.min(1) });

export const manifestSchema = z.object({
  runId: z.string().min(1),
  createdAt: z.string(),
  emuflockVersion: z.string(),
  /** The command line that started the run, for the report's "how to reproduce". */
  argv: z.array(z.string()),
  seed: wholeNumber,
  cases: z
    .array(
      z.object({
        name: z.string().min(1),
        file: z.string().min(1),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex'),
        text: z.string(),
      }),
    )
    .min(1, 'a run holds at least one case'),
  /** Trials planned at the start; adaptive repetitions may add more. */
  trials: wholeNumber,
  /** How adaptive repetitions decided (absent in runs made before they existed: the defaults). */
  adaptive: z.object({ metric: z.enum(phaseNames as [PhaseName, ...PhaseName[]]), threshold: z.number().positive(), alpha: z.number().gt(0).lt(1) }).optional(),
  shard: shard.optional(),
  /** Set by `emuflock merge`: the runs whose journals this one combines. */
  merged: z
    .looseObject({
      /** The `emuflock merge` command line (argv above is the one-machine run it stands for). */
      argv: z.array(z.string()),
      sources: z.array(z.object({ runId: z.string(), dir: z.string(), shard: shard.nullable(), hosts: z.array(z.string()), trials: wholeNumber })),
      /** Trial ids of the plan that no source recorded. */
      missing: z.array(z.string()),
    })
    .optional(),
});

export type RunManifest = z.output<typeof manifestSchema>;
export type MergedFrom = NonNullable<RunManifest['merged']>;
