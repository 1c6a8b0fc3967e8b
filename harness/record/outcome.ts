import { z } from 'zod';
import { trialSteps } from './phases.js';

/**
 * How a trial ended:
 * - ok: the guest was ready (or QEMU's init done, for `until: qemu-init`) and QEMU exited as expected
 * - timeout: a phase did not end within its timeout
 * - qemu-crashed: QEMU exited on its own, with a status or signal the trial did not expect
 * - guest-failed: the guest gave up (missing disks or NICs), panicked or powered off early
 * - refused-by-preflight: not booted, it would not fit the host's limits (limits/)
 */
export const outcomes = ['ok', 'timeout', 'qemu-crashed', 'guest-failed', 'refused-by-preflight'] as const;
export const outcomeSchema = z.enum(outcomes);
export type Outcome = z.infer<typeof outcomeSchema>;

/** Why a trial did not end ok: enough to see what failed without booting it again. */
export const trialErrorSchema = z.object({
  message: z.string(),
  /** The step it stopped in. */
  phase: z.enum(trialSteps).optional(),
  exitCode: z.number().optional(),
  signal: z.string().optional(),
  stderrTail: z.string().optional(),
  consoleTail: z.string().optional(),
  /** QEMU's command line, shortened, with the guest's environment in front: what reruns it. */
  commandLine: z.string().optional(),
});
export type TrialError = z.infer<typeof trialErrorSchema>;
