import type { PerfSample } from './perf-samples.js';
import type { PhaseKey } from '../../record/phases.js';
import type { PhaseProfile, Profile } from '../../record/profile.js';

export interface PhaseWindow {
  phase: PhaseKey;
  startNs: number;
  endNs: number;
}

const topN = 8;

/**
 * Frames that own their whole thread by construction (process and thread entry points, the
 * vCPU loop) and frames perf could not name: on an inclusive list they would only say "the
 * program ran". Left out there; the self list and the chains keep them.
 */
const entryPoints = new Set([
  'main',
  '_start',
  '__libc_start_main',
  '__libc_start_call_main',
  'qemu_default_main',
  'qemu_main',
  'qemu_thread_start',
  'start_thread',
  'clone3',
  '__clone3',
  'mttcg_cpu_thread_fn',
  'rr_cpu_thread_fn',
]);

export function isUninformative(symbol: string): boolean {
  return entryPoints.has(symbol) || symbol.startsWith('[');
}
const chainDepth = 8;
const everywhere = 0.9;

/** Cuts samples into phases by time and ranks each phase's symbols. */
export async function profileByPhase(samples: AsyncIterable<PerfSample>, windows: PhaseWindow[]): Promise<Profile> {
  const acc = new Map<PhaseKey, Accumulator>(windows.map((w) => [w.phase, new Accumulator()]));
  for await (const s of samples) {
    const w = windows.find((x) => s.timeNs >= x.startNs && s.timeNs < x.endNs);
    if (w && s.frames.length > 0) acc.get(w.phase)!.add(s.frames);
  }
  return Object.fromEntries([...acc].map(([phase, a]) => [phase, a.result()]));
}

class Accumulator {
  private samples = 0;
  private self = new Map<string, number>();
  private total = new Map<string, number>();
  private chains = new Map<string, Map<string, number>>();

  add(frames: string[]): void {
    this.samples++;
    bump(this.self, frames[0]!);
    const seen = new Set<string>();
    frames.forEach((f, i) => {
      if (seen.has(f)) return;
      seen.add(f);
      bump(this.total, f);
      // The chain of a function: itself and its callers, so it reads as "who called this".
      const chain = frames.slice(i, i + chainDepth).join('\u0000');
      const chains = this.chains.get(f) ?? new Map<string, number>();
      bump(chains, chain);
      this.chains.set(f, chains);
    });
  }

  result(): PhaseProfile {
    const rank = (m: Map<string, number>, keep: (n: number, symbol: string) => boolean) =>
      [...m]
        .filter(([symbol, n]) => keep(n, symbol))
        .sort((a, b) => b[1] - a[1])
        .slice(0, topN)
        .map(([symbol, n]) => ({ symbol, share: round(n / this.samples), chain: this.heaviestChain(symbol) }));
    return {
      samples: this.samples,
      self: rank(this.self, () => true),
      total: rank(this.total, (n, symbol) => n < everywhere * this.samples && !isUninformative(symbol)),
    };
  }

  private heaviestChain(symbol: string): string[] {
    const best = [...(this.chains.get(symbol) ?? [])].sort((a, b) => b[1] - a[1])[0];
    return best ? best[0].split('\u0000') : [symbol];
  }
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
