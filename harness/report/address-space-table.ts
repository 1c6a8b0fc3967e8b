/**
 * Each point's address space, what strict overcommit charges and glibc's arena heaps: shown for
 * a case that gives QEMU an environment (`env:`), where those are what the sweep is about
 * (MALLOC_ARENA_MAX). Formatting only; the figures are the journal's resource peaks.
 */
import { median } from '../analyze/index.js';
import type { Section } from './document-model.js';
import type { CaseModel } from './model.js';
import type { Observation } from '../record/observation.js';

type Peak = 'vmPeakKiB' | 'committedPeakKiB' | 'mallocArenasPeak';

function medianOf(used: readonly Observation[], field: Peak): number | null {
  const values = used.map((o) => o.resources[field]).filter((x): x is number => typeof x === 'number');
  return values.length > 0 ? median(values) : null;
}

const mib = (kib: number | null) => (kib === null ? '-' : (kib / 1024).toFixed(0));

export function addressSpaceTable(c: CaseModel): Section | undefined {
  if (!c.points.some((p) => p.trials.some((o) => o.params.env !== undefined))) return undefined;
  const measured = c.points.filter((p) => medianOf(p.used, 'vmPeakKiB') !== null);
  if (measured.length === 0) return undefined;
  return {
    title: 'Address space and committed memory of QEMU',
    blocks: [
      {
        kind: 'table',
        caption:
          'medians over the trials that ended ok. VmPeak: peak virtual size (/proc/PID/status); committed: private writable mappings, ' +
          'what vm.overcommit_memory=2 charges; arena heaps: glibc per-thread arenas, 64 MiB of address space each (reserved, mostly not committed)',
        header: ['point', 'variant', 'VmPeak MiB', 'committed MiB', 'arena heaps'],
        rows: measured.map((p) => {
          const arenas = medianOf(p.used, 'mallocArenasPeak');
          return [p.point, p.variant, mib(medianOf(p.used, 'vmPeakKiB')), mib(medianOf(p.used, 'committedPeakKiB')), arenas === null ? '-' : String(arenas)];
        }),
        numeric: [false, false, true, true, true],
      },
    ],
  };
}
