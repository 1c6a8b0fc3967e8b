import { z } from 'zod';
import { phaseKeys } from './phases.js';

export const hotSymbolSchema = z.object({
  symbol: z.string(),
  /** Fraction of the phase's samples, 0..1. */
  share: z.number(),
  /** The most frequent chain through it, leaf first (at most 8 frames). */
  chain: z.array(z.string()),
});
export type HotSymbol = z.infer<typeof hotSymbolSchema>;

/** One phase of a perf profile (measure/profile/phase-profile.ts). */
export const phaseProfileSchema = z.object({
  samples: z.number(),
  /** Where the CPU was: the leaf frame of each sample. */
  self: z.array(hotSymbolSchema),
  /**
   * Functions on the stack, counted once per sample, leaving out those on nearly every stack
   * (main, qemu_init, the vCPU thread loop): these name the caller that owns the cost, such as
   * drive_get under drive_new when the leaf is a list walk.
   */
  total: z.array(hotSymbolSchema),
});
export type PhaseProfile = z.infer<typeof phaseProfileSchema>;

/** Per phase the trial began: its hottest symbols. */
export const profileSchema = z.partialRecord(z.enum(phaseKeys), phaseProfileSchema);
export type Profile = z.infer<typeof profileSchema>;
