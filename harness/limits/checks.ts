import { diskSlotsAvailable, guestNeeds, migratingGuests } from './needs.js';
import { devptsRemedy, diskSlotsRemedy, memoryRemedy, nofileRemedy, nprocRemedy, routesRemedy, sysctlRemedy } from './remedy.js';
import type { HostLimits } from '../record/host.js';
import type { TrialParams } from '../record/params.js';

/** What the host offers, as a trial sees it. */
export interface HostHave {
  limits: HostLimits;
  /** MemAvailable, KiB; it changes from trial to trial, so the preflight reads it each time. */
  memAvailableKiB: number | null;
  /** /dev/vhost-net exists: NICs then take KVM routes. */
  vhostNet?: boolean;
}

export interface LimitCheck {
  /** The limit, as a user would search for it: `open files (RLIMIT_NOFILE)`. */
  limit: string;
  need: number;
  /** null: unlimited or not readable here, so it cannot be what stops a trial. */
  have: number | null;
  unit: string;
  fits: boolean;
  /** The exact remedy, when it does not fit. */
  remedy?: string;
  /**
   * Not fitting is something to measure rather than refuse: past KVM's routes, devices fall
   * back to userspace notification (or QEMU 7.2 aborts), which is what a route case is for.
   */
  advisory?: boolean;
}

/**
 * Every host limit a trial of `guests` concurrent guests (default: the trial's own; a migrating guest is two QEMUs) runs into. Per-process limits (open
 * files, maps, disk slots) hold for each QEMU; system-wide ones for all of them together.
 * The open-file limit is the hard one: `emuflock run` raises its soft limit to it, and QEMU
 * inherits that (QEMU 7.2 does not raise RLIMIT_NOFILE itself).
 */
export function checkLimits(params: TrialParams, have: HostHave, guests = params.guests ?? 1): LimitCheck[] {
  const n = guestNeeds(params, { vhostNet: have.vhostNet === true });
  const l = have.limits;
  const aioFree = l.aioMaxNr === null ? null : l.aioMaxNr - (l.aioNr ?? 0);
  const memMiB = have.memAvailableKiB === null ? null : Math.floor(have.memAvailableKiB / 1024);
  // A migrating guest's destination QEMU holds as many fds and threads as its source.
  const migrating = migratingGuests(params, guests);
  const qemus = guests + migrating;
  const threads = n.threads * qemus;
  const memoryMiB = n.memoryMiB * (guests - migrating) + n.migratingMemoryMiB * migrating;
  const checks: Omit<LimitCheck, 'fits'>[] = [
    { limit: 'open files per QEMU (RLIMIT_NOFILE)', need: n.fds, have: l.nofileHard, unit: 'fds', remedy: nofileRemedy(n.fds, l.nofileHard) },
    { limit: 'open files, all (fs.file-max)', need: n.fds * qemus, have: l.fileMax, unit: 'fds', remedy: sysctlRemedy('fs.file-max', 2 * n.fds * qemus) },
    { limit: 'threads of the user (RLIMIT_NPROC)', need: threads, have: l.nprocSoft, unit: 'threads', remedy: nprocRemedy(2 * threads) },
    { limit: 'threads (kernel.threads-max)', need: threads, have: l.threadsMax, unit: 'threads', remedy: sysctlRemedy('kernel.threads-max', 2 * threads) },
    { limit: 'pids (kernel.pid_max)', need: threads, have: l.pidMax, unit: 'pids', remedy: sysctlRemedy('kernel.pid_max', Math.min(4194304, 2 * threads)) },
    { limit: 'maps per QEMU (vm.max_map_count)', need: n.maps, have: l.maxMapCount, unit: 'maps', remedy: sysctlRemedy('vm.max_map_count', 2 * n.maps) },
    { limit: 'aio events (fs.aio-max-nr - aio-nr)', need: n.aioEvents * guests, have: aioFree, unit: 'events', remedy: sysctlRemedy('fs.aio-max-nr', (l.aioNr ?? 0) + 2 * n.aioEvents * guests) },
    ptyCheck(n.ptys * guests, l),
    { limit: 'memory (MemAvailable, or the cgroup limit)', need: memoryMiB, have: memMiB, unit: 'MiB', remedy: memoryRemedy },
    { limit: 'disk slots per guest (ccw devnos, PCI slots)', need: n.diskSlots, have: diskSlotsAvailable(params), unit: 'devices', remedy: diskSlotsRemedy(params) },
    ...(n.routes > 0
      ? [
          {
            limit: 'KVM GSI routes per guest (KVM_CAP_IRQ_ROUTING - 1)',
            need: n.routes,
            // QEMU keeps one GSI back: 4095 usable of a 4096-entry table.
            have: l.kvmIrqRoutes == null ? null : l.kvmIrqRoutes - 1,
            unit: 'routes',
            remedy: routesRemedy,
            advisory: true,
          },
        ]
      : []),
  ];
  return checks.map((c) => {
    const fits = c.have === null || c.need <= c.have;
    return fits ? { limit: c.limit, need: c.need, have: c.have, unit: c.unit, fits } : { ...c, fits };
  });
}

/**
 * Ptys free: the room measure/pty-room.ts found (kernel.pty.max less those open, or the devpts
 * instance's own max=), or kernel.pty.max alone in a record made before that was read.
 */
function ptyCheck(need: number, l: HostLimits): Omit<LimitCheck, 'fits'> {
  const room = l.ptyRoom;
  if (!room) return { limit: 'ptys (kernel.pty.max)', need, have: l.ptyMax, unit: 'ptys', remedy: sysctlRemedy('kernel.pty.max', 2 * need) };
  if (room.by === 'devpts max=') return { limit: 'ptys free in /dev/pts (its devpts max=)', need, have: room.free, unit: 'ptys', remedy: devptsRemedy(need) };
  const ptyMax = l.ptyMax ?? 0;
  return { limit: 'ptys free (kernel.pty.max - kernel.pty.nr)', need, have: room.free, unit: 'ptys', remedy: sysctlRemedy('kernel.pty.max', ptyMax + 2 * need) };
}

/** The first limit that does not fit, said in one line (a refused trial's error message). */
export function shortfallLine(c: LimitCheck): string {
  return `${c.limit}: needs ${c.need} ${c.unit}, the host has ${String(c.have)}; ${c.remedy ?? ''}`.trimEnd();
}
