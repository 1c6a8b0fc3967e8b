import { median } from '../../analyze/index.js';
import { textTable } from '../../core/text-table.js';
import { byCasePointVariant, groupTrials } from '../../compare/groups.js';
import { variantName, type LoadedCase } from '../../case/schema.js';
import type { Observation } from '../../record/observation.js';
import type { PhaseName } from '../../record/phases.js';

/**
 * The table printed at the end of a run: per case, point and variant, the median of each phase
 * over the trials that ended ok, and what went wrong with the others. Where no ok trial measured
 * a phase (or counted the disks), what the failed trials did reach is shown, marked "*".
 * Warm-ups are left out.
 */
export function runSummary(observations: Observation[], cases: readonly LoadedCase[] = []): string {
  // Sorted as every table of emuflock: case, disk count, point, variants in the case's order.
  const order = new Map(cases.map((c) => [c.name, c.spec.variants.map(variantName)]));
  const groups = groupTrials(observations, byCasePointVariant, 'totalMs', order).map((g) => g.all);
  let fromFailed = false;
  const rows = groups.map((obs) => {
    const first = obs[0]!;
    const ok = obs.filter((o) => o.outcome === 'ok');
    const med = (phase: PhaseName) => {
      const measured = (trials: Observation[]) => trials.map((o) => o.phases[phase]).filter((v): v is number => v !== null);
      const values = measured(ok);
      if (values.length > 0) return (median(values) / 1000).toFixed(2);
      // A trial that failed later (a shutdown timeout after every disk was seen) still measured
      // the phases before: shown, marked, rather than hidden behind a "-".
      const reached = measured(obs.filter((o) => o.outcome !== 'ok'));
      if (reached.length === 0) return '-';
      fromFailed = true;
      return `${(median(reached) / 1000).toFixed(2)}*`;
    };
    const seen = disksSeen(ok, obs, () => (fromFailed = true));
    const rss = Math.max(...obs.map((o) => o.resources.rssPeakKiB ?? 0));
    const failures = countBy(obs.filter((o) => o.outcome !== 'ok').map((o) => o.outcome));
    return [
      first.case,
      first.point,
      first.variant.name,
      `${ok.length}/${obs.length}`,
      med('totalMs'),
      med('qemuInitMs'),
      med('guestBootMs'),
      med('diskProbeMs'),
      med('shutdownMs'),
      seen,
      rss > 0 ? String(Math.round(rss / 1024)) : '-',
      failures || '-',
    ];
  });
  const table = textTable(
    ['case', 'point', 'variant', 'ok', 'total s', 'init s', 'boot s', 'probe s', 'shutdown s', 'disks seen', 'RSS MiB', 'failures'],
    rows,
  );
  return fromFailed ? `${table}\n* measured by trials that did not end ok (no ok trial reached that phase's end or counted the disks)` : table;
}

/** The disk counts the guests reported: the ok trials', else the failed ones' (marked). */
function disksSeen(ok: Observation[], all: Observation[], markFromFailed: () => void): string {
  const counts = (trials: Observation[]) => [...new Set(trials.map((o) => o.guest.disksSeen).filter((n): n is number => n !== null))].sort((a, b) => a - b);
  if (counts(ok).length > 0) return counts(ok).join('/');
  const failed = counts(all.filter((o) => o.outcome !== 'ok'));
  if (failed.length === 0) return '-';
  markFromFailed();
  return `${failed.join('/')}*`;
}

function countBy(items: string[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}
