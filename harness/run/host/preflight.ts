import type { Trial } from '../../case/matrix.js';
import { memAvailableKiB } from '../../measure/host.js';
import { observationOf, type TrialContext } from '../session/trial-context.js';
import { checkLimits, shortfallLine } from '../../limits/checks.js';
import type { Observation } from '../../record/observation.js';

/**
 * The check before each trial: a trial that cannot fit the host is not booted, because what it
 * would measure is the limit (QEMU exits on its 391st disk under 400 fds), or worse a degraded
 * QEMU that looks fine (short of notifier fds it silently falls back to userspace notification).
 * Host limits come from ctx.host, read once per run; MemAvailable moves, so it is read each time.
 * Returns the refused trial's Observation, or undefined when the trial fits.
 */
export async function preflight(trial: Trial, ctx: TrialContext): Promise<Observation | undefined> {
  const checks = checkLimits(trial.params, { limits: ctx.host.limits, memAvailableKiB: await memAvailableKiB(), vhostNet: ctx.host.vhostNet === true });
  const binding = checks.find((c) => !c.fits && !c.advisory);
  if (!binding) return undefined;
  return {
    ...observationOf(trial, ctx, new Date().toISOString()),
    outcome: 'refused-by-preflight',
    error: { message: `not booted: ${shortfallLine(binding)} (emuflock doctor shows every limit; --no-preflight boots it anyway)`, phase: 'preflight' },
  };
}
