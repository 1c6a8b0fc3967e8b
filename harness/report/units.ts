/**
 * Numbers as the report prints them, in one place so that a chart label and a table cell
 * never show the same value two ways. Times are stored in ms and shown in seconds: start-up
 * times run from seconds to minutes.
 */
import type { Interval } from '../analyze/index.js';
import type { PhaseName } from '../journal/observation.js';

/** 3 significant digits at most, fixed decimals within a magnitude: 0.293, 7.96, 62.3, 745. */
export function secs(ms: number): string {
  const s = ms / 1000;
  return s.toFixed(s < 1 ? 3 : s < 10 ? 2 : s < 100 ? 1 : 0);
}

export function interval(ci: Interval, fmt: (x: number) => string): string {
  return `[${fmt(ci.lower)}, ${fmt(ci.upper)}]`;
}

/** new/old as a factor: "0.20×". */
export function ratio(r: number): string {
  return `${r.toFixed(r < 0.1 ? 3 : 2)}×`;
}

export function pValue(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toPrecision(2);
}

export function exponent(k: number): string {
  return k.toFixed(1);
}

/** Phases as people name them, in the review's mail and the history's findings alike. */
export const phaseLabels: Record<PhaseName, string> = {
  totalMs: 'total',
  qemuInitMs: 'QEMU init',
  guestBootMs: 'guest boot',
  diskProbeMs: 'disk probe',
  shutdownMs: 'shutdown',
};

/** The phases in the order a reader follows a boot, the whole first. */
export const phasesWholeFirst: PhaseName[] = ['totalMs', 'qemuInitMs', 'guestBootMs', 'diskProbeMs', 'shutdownMs'];
