import { median } from '../analyze/index.js';
import { textTable } from '../core/text-table.js';
import { describeTop, mergePhase } from './profile-merge.js';
import type { Observation } from '../record/observation.js';
import { phaseTable } from '../record/phases.js';

/**
 * Where each phase's time went, per case, point and variant: the hottest leaf functions and
 * the functions owning most of the stack (e.g. drive_get under drive_new at 4096 legacy
 * disks), merged over the group's profiled trials.
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
    const rows = phaseTable.map(({ key, ms }) => {
      const merged = mergePhase(obs, key);
      const times = obs.map((o) => o.phases[ms]).filter((t): t is number => t !== null);
      return [
        key,
        times.length ? (median(times) / 1000).toFixed(2) : '-',
        String(merged?.samples ?? 0),
        merged ? describeTop(merged.self) : '-',
        merged ? describeTop(merged.total) : '-',
      ];
    });
    return `profile: ${key} (${obs.length} trial${obs.length > 1 ? 's' : ''})\n` + textTable(['phase', 'time s', 'samples', 'hottest functions (self)', 'owning most of the stack (inclusive)'], rows);
  });
  return blocks.join('\n\n');
}
