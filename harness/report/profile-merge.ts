import { isUninformative } from '../measure/profile/phase-profile.js';
import type { Observation } from '../record/observation.js';
import type { PhaseKey } from '../record/phases.js';
import type { HotSymbol, PhaseProfile } from '../record/profile.js';

export interface MergedPhase {
  samples: number;
  self: HotSymbol[];
  total: HotSymbol[];
}

/**
 * One phase's profile over several trials (the repetitions of one point): symbol shares are
 * weighted by each trial's sample count, chains taken from the trial where the symbol weighed
 * most. Undefined when no trial was profiled.
 */
export function mergePhase(observations: Observation[], phase: PhaseKey, n = 5): MergedPhase | undefined {
  const profiles = observations.map((o) => o.profile?.[phase]).filter((p): p is PhaseProfile => p !== undefined && p.samples > 0);
  if (profiles.length === 0) return undefined;
  const samples = profiles.reduce((sum, p) => sum + p.samples, 0);
  const rank = (kind: 'self' | 'total'): HotSymbol[] => {
    const weight = new Map<string, { count: number; best: HotSymbol; bestCount: number }>();
    for (const p of profiles) {
      for (const s of p[kind]) {
        if (kind === 'total' && isUninformative(s.symbol)) continue;
        const count = s.share * p.samples;
        const w = weight.get(s.symbol) ?? { count: 0, best: s, bestCount: -1 };
        w.count += count;
        if (count > w.bestCount) Object.assign(w, { best: s, bestCount: count });
        weight.set(s.symbol, w);
      }
    }
    return [...weight.values()]
      .sort((a, b) => b.count - a.count)
      .slice(0, n)
      .map((w) => ({ symbol: w.best.symbol, share: Math.round((1000 * w.count) / samples) / 1000, chain: w.best.chain }));
  };
  return { samples, self: rank('self'), total: rank('total') };
}

export function describeTop(symbols: HotSymbol[], n = 3): string {
  return symbols.slice(0, n).map((s) => `${s.symbol} ${Math.round(100 * s.share)}%`).join(', ') || '-';
}

/**
 * The function to name for a phase: the hottest one by self time that is QEMU's (or a
 * library's), not the kernel's or a frame perf could not name. Self time points at the loop
 * that burns the time (drive_get walking every BlockBackend), where the inclusive list's top
 * is its outermost caller (drive_init_func).
 */
export function hottestUserFunction(merged: MergedPhase): HotSymbol | undefined {
  return merged.self.find((s) => !s.symbol.startsWith('['));
}
