/**
 * Numbers as the report prints them, in one place so that a chart label and a table cell
 * never show the same value two ways. Times are stored in ms and shown in seconds: start-up
 * times run from seconds to minutes.
 */
import type { Interval } from '../analyze/index.js';

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
