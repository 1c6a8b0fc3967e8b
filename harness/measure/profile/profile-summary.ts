import { median } from '../../analyze/index.js';
import type { Observation } from '../../journal/observation.js';
import { textTable } from '../../text-table.js';
import type { HotSymbol, PhaseProfile } from './phase-profile.js';

const phaseTime: Record<string, 'qemuInitMs' | 'guestBootMs' | 'diskProbeMs' | 'shutdownMs'> = {
  qemuInit: 'qemuInitMs',
  guestBoot: 'guestBootMs',
  diskProbe: 'diskProbeMs',
  shutdown: 'shutdownMs',
};

/**
 * Where each phase's time went, per case, point and variant: the hottest leaf functions and
 * the functions owning most of the stack (e.g. drive_get under drive_new at 4096 legacy
 * disks), merged over the group's profiled trials by sample count.
 */
export function profileSummary(observations: Observation[]): string | undefined {
  const groups = new Map<string, Observation[]>();
  for (const o of observations) {
    if (!o.profile || o.warmup) continue;
    const key = `${o.case} ${o.point} ${o.variant.name}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  if (groups.size === 0) return undefined;
  const blocks = [...groups].map(([key, obs]) => {
    const rows = Object.keys(phaseTime).map((phase) => {
      const profiles = obs.map((o) => o.profile![phase]).filter((p): p is PhaseProfile => p !== undefined && p.samples > 0);
      const times = obs.map((o) => o.phases[phaseTime[phase]!]).filter((t): t is number => t !== null);
      return [
        phase,
        times.length ? (median(times) / 1000).toFixed(2) : '-',
        String(profiles.reduce((n, p) => n + p.samples, 0)),
        top(profiles, 'self'),
        top(profiles, 'total'),
      ];
    });
    return `profile: ${key} (${obs.length} trial${obs.length > 1 ? 's' : ''})\n` + textTable(['phase', 'time s', 'samples', 'hottest functions (self)', 'owning most of the stack (inclusive)'], rows);
  });
  return blocks.join('\n\n');
}

function top(profiles: PhaseProfile[], kind: 'self' | 'total', n = 3): string {
  const counts = new Map<string, number>();
  const all = profiles.reduce((sum, p) => sum + p.samples, 0);
  for (const p of profiles) {
    for (const s of p[kind] as HotSymbol[]) counts.set(s.symbol, (counts.get(s.symbol) ?? 0) + s.share * p.samples);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]).slice(0, n);
  return ranked.map(([symbol, c]) => `${symbol} ${Math.round((100 * c) / all)}%`).join(', ') || '-';
}
