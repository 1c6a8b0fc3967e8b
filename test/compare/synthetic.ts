import { unmeasuredCounts, type Counts } from '../../harness/record/counts.js';
import type { Observation } from '../../harness/record/observation.js';
import type { Outcome } from '../../harness/record/outcome.js';

/** A made-up Observation: only what the comparison reads is meaningful. */
export function observation(o: {
  case?: string;
  variant?: string;
  disks?: number;
  point?: string;
  rep?: number;
  warmup?: boolean;
  totalMs: number | null;
  outcome?: Outcome;
  disksSeen?: number | null;
  routeCommits?: number | null;
  /** Other exact counts; unmeasured (null) unless given. */
  counts?: Partial<Counts>;
}): Observation {
  const disks = o.disks ?? 8;
  const variant = o.variant ?? 'system';
  const point = o.point ?? `disks=${disks}`;
  const rep = o.rep ?? 0;
  const warmup = o.warmup ?? false;
  return {
    schema: 1,
    runId: 'synthetic',
    trialId: `${o.case ?? 'c'}/${variant}/${point.replaceAll(' ', ',')}/${warmup ? 'w' : 'r'}${rep}`,
    case: o.case ?? 'c',
    point,
    rep,
    warmup,
    order: 0,
    startedAt: '2026-01-01T00:00:00.000Z',
    variant: { name: variant, buildKey: `key-${variant}`, series: [], binary: '/usr/bin/qemu', binarySha256: '0'.repeat(64), qemuVersion: '7.2' },
    params: {
      arch: 's390x',
      accel: 'tcg',
      machine: undefined,
      cpus: 1,
      memoryMiB: 512,
      disks,
      drives: 'blockdev',
      queues: 1,
      diskBackend: 'file',
      diskSizeMiB: 1,
    },
    guestAssets: { kernelPackage: 'k', kernelVersion: '1', busyboxVersion: '1' },
    host: {
      hostname: 'h',
      kernel: '6.1',
      arch: 'x64',
      cpus: 2,
      cpuModel: 'cpu',
      memKiB: 8 << 20,
      memAvailableKiB: 4 << 20,
      limits: { nofileSoft: 1024, nofileHard: 4096, nprocSoft: null, aioMaxNr: 65536, aioNr: 0, fileMax: null, ptyMax: 4096, threadsMax: null, pidMax: null, maxMapCount: null },
    },
    phases: { qemuInitMs: o.totalMs, guestBootMs: o.totalMs, diskProbeMs: o.totalMs, shutdownMs: o.totalMs, totalMs: o.totalMs },
    guest: { uptimeAtInitS: 1, uptimeAtReadyS: 2, disksSeen: o.disksSeen === undefined ? disks : o.disksSeen },
    counts: { ...unmeasuredCounts, routeCommits: o.routeCommits ?? null, ...o.counts },
    resources: { rssPeakKiB: 100_000, fdsPeak: 50, threadsPeak: 5 },
    outcome: o.outcome ?? 'ok',
  };
}

/** Trials r0..r(n-1) of one variant at one point, with the given times in ms. */
export function series(times: number[], o: Omit<Parameters<typeof observation>[0], 'totalMs' | 'rep'> = {}): Observation[] {
  return times.map((totalMs, rep) => observation({ ...o, totalMs, rep }));
}
