import type { Trial } from '../../case/matrix.js';
import type { Observation } from '../../record/observation.js';
import { bootGuest } from '../session/guest-session.js';
import { runFleet } from './fleet.js';
import { observationOf, type TrialContext } from '../session/trial-context.js';

export type { TrialContext } from '../session/trial-context.js';

/**
 * Runs one trial: one guest (session/guest-session.ts), or a fleet of `guests` QEMUs alive
 * together (fleet.ts), which a migrating case always is (its guests must hold to be migrated).
 * Every outcome is recorded in the Observation; nothing here throws for a failing guest or QEMU,
 * and no QEMU is left when this returns.
 */
export async function runTrial(trial: Trial, ctx: TrialContext): Promise<Observation> {
  const startedAt = new Date().toISOString();
  if ((trial.params.guests ?? 1) > 1 || trial.params.migrate) return { ...observationOf(trial, ctx, startedAt), ...(await runFleet(trial, ctx)) };
  const { profile, profileError, error, ...run } = await bootGuest(trial, ctx);
  return {
    ...observationOf(trial, ctx, startedAt),
    ...run,
    ...(profile ? { profile } : {}),
    ...(profileError ? { profileError } : {}),
    ...(error ? { error } : {}),
  };
}
