import { testLabels, type TimeComparison } from '../analyze/index.js';

/**
 * One comparison in one line, as a maintainer quotes it: `FASTER ×0.09 [0.07, 0.11] p 0.0003,
 * Welch on log times, 3 + 3`. The ratio is new/old (below 1: faster), with the deciding test's
 * interval and p, the test, and the trials on each side.
 */
export function verdictLine(c: TimeComparison): string {
  return `${c.verdict} ${timesRatio(c.ratio)} [${timesNumber(c.ratioCI.lower)}, ${timesNumber(c.ratioCI.upper)}] p ${pText(c.pValue)}, ${testLabels[c.method]}, ${c.nOld} + ${c.nNew}`;
}

/** ×0.09, ×1.05, ×10.5: two significant digits below 10, one decimal above. */
export function timesRatio(ratio: number): string {
  return `×${timesNumber(ratio)}`;
}

function timesNumber(x: number): string {
  return x >= 10 ? x.toFixed(1) : x.toPrecision(2);
}

/** A p-value in two significant digits; below 1e-4 as "<0.0001". */
export function pText(p: number): string {
  return p < 1e-4 ? '<0.0001' : p.toPrecision(2);
}
