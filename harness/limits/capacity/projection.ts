import { costAt, type CostModel, type Resource } from './cost-model.js';
import type { HostProfile } from './host-profile.js';

/** How many guests of one shape a host-wide limit lets live together. */
export interface GuestBound {
  limit: string;
  resource: Resource;
  /** The limit's value on that host; null: unlimited. */
  have: number | null;
  perGuest: number;
  unit: string;
  /** null: this limit sets no bound. */
  maxGuests: number | null;
  /** A bound on responsiveness rather than a failure: idle guests alone would fill the CPUs. */
  soft?: boolean;
}

/** How many disks one guest can have before a per-process limit (or the host's memory) stops it. */
export interface DiskBound {
  limit: string;
  maxDisks: number | null;
}

export interface Projection {
  host: HostProfile;
  disks: number;
  guestBounds: GuestBound[];
  /** The first hard limit: where the next guest fails to start. */
  binding: GuestBound | undefined;
  /** The idle-CPU bound, when it comes before the hard one. */
  cpuFirst: GuestBound | undefined;
  diskBounds: DiskBound[];
}

/**
 * Guests of `disks` disks each that fit `host`, limit by limit, from measured costs. Per-process
 * limits (open files per QEMU, device numbers) bound the disks of one guest; host-wide ones
 * (memory, fs.file-max, threads, pids, CPU) the number of guests.
 */
export function projectCapacity(model: CostModel, host: HostProfile, disks: number, maxDisksPerGuest: { limit: string; disks: number }): Projection {
  const per = (r: Resource) => costAt(model, r, disks);
  const bound = (limit: string, resource: Resource, have: number | null, unit: string, soft = false): GuestBound => {
    const perGuest = per(resource);
    return { limit, resource, have, perGuest, unit, maxGuests: have === null || perGuest <= 0 ? null : Math.floor(have / perGuest), ...(soft ? { soft } : {}) };
  };
  const guestBounds = [
    bound('memory (MemAvailable, or the cgroup limit)', 'memoryMiB', host.memoryMiB, 'MiB'),
    // Strict overcommit charges each private writable mapping when made, touched or not.
    bound('committed memory (CommitLimit - Committed_AS, vm.overcommit_memory=2)', 'committedMiB', host.commitRoomMiB, 'MiB'),
    bound('open files, all (fs.file-max)', 'fds', host.fileMax, 'fds'),
    bound('threads (kernel.threads-max)', 'threads', host.threadsMax, 'threads'),
    bound('pids (kernel.pid_max)', 'threads', host.pidMax, 'pids'),
    bound('threads of the user (RLIMIT_NPROC)', 'threads', host.nprocSoft, 'threads'),
    bound('CPU while idle', 'idleCpu', host.cpus, 'CPUs', true),
  ];
  const first = (bounds: GuestBound[]) =>
    bounds.filter((b) => b.maxGuests !== null).reduce<GuestBound | undefined>((a, b) => (a === undefined || b.maxGuests! < a.maxGuests! ? b : a), undefined);
  const binding = first(guestBounds.filter((b) => !b.soft));
  const cpu = guestBounds.find((b) => b.soft)!;
  const cpuFirst = cpu.maxGuests !== null && (binding === undefined || cpu.maxGuests < binding.maxGuests!) ? cpu : undefined;
  const disksWithin = (have: number | null, r: Resource) => {
    const c = model[r];
    return have === null || c.perDisk <= 0 ? null : Math.max(0, Math.floor((have - c.perGuest) / c.perDisk));
  };
  const diskBounds: DiskBound[] = [
    { limit: 'open files per QEMU (RLIMIT_NOFILE)', maxDisks: disksWithin(host.nofileHard, 'fds') },
    { limit: 'memory, one guest alone', maxDisks: disksWithin(host.memoryMiB, 'memoryMiB') },
    { limit: maxDisksPerGuest.limit, maxDisks: maxDisksPerGuest.disks },
  ];
  return { host, disks, guestBounds, binding, cpuFirst, diskBounds };
}
