/**
 * A point of a case is the set of values its swept parameters take; its label (`disks=1000
 * queues=4`) is made from those values, for people and for trial ids, and never parsed back:
 * whatever needs a part of a point reads it from the trial's parameters.
 */
import { envLabel } from './env.js';
import { sweepableParams, type SweptParam } from './sweep.js';
import type { GuestEnv } from '../record/params.js';

/** What a point is made of: a trial's parameters (TrialParams) have these and more. */
export type PointParams = Partial<Record<SweptParam, unknown>>;

/** `disks=1000 queues=4`: the swept parameters, in sweep order. A case that sweeps nothing shows its disks. */
export function pointLabel(params: PointParams, swept: readonly SweptParam[]): string {
  const shown = swept.length > 0 ? swept : (['disks'] as const);
  return shown.map((name) => `${name}=${valueText(params[name])}`).join(' ');
}

/** A swept value as a label shows it; maps (env) by their entries, so equal maps read the same. */
function valueText(value: unknown): string {
  return typeof value === 'object' && value !== null ? envLabel(value as GuestEnv) : String(value);
}

/**
 * The parameters that take more than one value among a case's trials: its sweep, read from the
 * records themselves (a journal holds every trial's parameters).
 */
export function sweptParams(all: readonly PointParams[]): SweptParam[] {
  return sweepableParams.filter((name) => new Set(all.map((p) => valueText(p[name]))).size > 1);
}

/**
 * The label of what is left of a point once some parameters are on an axis: e.g. a start-up
 * chart draws disks on x and one line per rest (`queues=4`); "" when nothing else varies.
 */
export function restLabel(params: PointParams, swept: readonly SweptParam[], onAxis: readonly SweptParam[]): string {
  const rest = swept.filter((name) => !onAxis.includes(name));
  return rest.length > 0 ? pointLabel(params, rest) : '';
}
