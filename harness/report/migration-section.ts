/**
 * The migration table of a case with `migrate:` (migration-summary.ts): per point, how many
 * guests migrated, how long it took them and the trial, and every reason a guest did not,
 * e.g. the port range running out, in the allocator's (libvirt's) words.
 */
import type { Section } from './document-model.js';
import { migrationPoints, type Spread } from './migration-summary.js';
import type { CaseModel } from './model.js';
import { secs } from './units.js';

export function migrationSection(c: CaseModel): Section | undefined {
  const points = migrationPoints(c);
  if (points.length === 0) return undefined;
  const rows = points.map((p) => [
    p.point,
    p.variant,
    String(p.guests),
    String(p.completed),
    String(p.guests - p.started),
    String(p.peakInFlight),
    p.allEndedMs === null ? '-' : secs(p.allEndedMs),
    spread(p.totalMs, secs),
    spread(p.downtimeMs, (ms) => String(Math.round(ms))),
    spread(p.resumeMs, (ms) => String(Math.round(ms))),
    p.transferredBytes === null ? '-' : (p.transferredBytes / 1024 / 1024).toFixed(2),
  ]);
  const failures = points.flatMap((p) => p.failures.map((f) => `${p.variant} at ${p.point}: ${f.guests} guest${f.guests === 1 ? '' : 's'} ${f.outcome}: ${f.reason || 'no reason recorded'}`));
  const trials = Math.max(...points.map((p) => p.trials));
  return {
    title: 'Concurrent live migration',
    blocks: [
      {
        kind: 'table',
        caption:
          `per point${trials > 1 ? ' (guest counts: medians over trials)' : ''}: guests, migrated (completed, destination running), without a port, most migrations under way at once, ` +
          'time from every migrate sent to the last one ended (s); per completed guest, min / median / max of QEMU\'s total time (s), downtime (ms), ' +
          'the destination\'s resume after completion (ms), and the median MiB sent',
        header: ['point', 'variant', 'guests', 'migrated', 'no port', 'peak in flight', 'all ended s', 'total s', 'downtime ms', 'resume ms', 'MiB sent'],
        rows,
        numeric: [false, false, true, true, true, true, true, false, false, false, true],
      },
      failures.length > 0
        ? { kind: 'list', items: failures }
        : { kind: 'paragraph', text: 'Every guest migrated at every point.' },
    ],
  };
}

function spread(s: Spread | null, fmt: (x: number) => string): string {
  return s === null ? '-' : `${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`;
}
