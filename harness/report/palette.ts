/**
 * Colours. Variants use Okabe & Ito's palette, designed to stay distinguishable under the
 * common colour-vision deficiencies and on a washed-out projector; yellow comes last because
 * it vanishes on white. A variant keeps its colour in every chart of a run because the colour
 * is assigned once, from the run's variant order, not per chart.
 */
import type { PhaseRow } from '../record/phases.js';

const okabeIto = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

/**
 * Phases are stacked inside one bar, so they need hues of their own that no variant uses
 * (Paul Tol's "muted" scheme, also colour-blind safe): otherwise "guest boot" would read as
 * a variant.
 */
export const phaseColours = {
  qemuInitMs: '#332288',
  guestBootMs: '#88CCEE',
  diskProbeMs: '#DDCC77',
  shutdownMs: '#BBBBBB',
} as const satisfies Record<PhaseRow['ms'], string>;

/** A fixed colour per variant name; beyond eight variants colours repeat (dash styles differ). */
export function variantColours(variants: readonly string[]): Map<string, string> {
  return new Map(variants.map((v, i) => [v, okabeIto[i % okabeIto.length]!]));
}

/** `#RRGGBB` with an alpha, for confidence bands drawn under their line. */
export function translucent(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
