import { archSpec } from '../arch/index.js';
import type { TrialParams } from '../record/params.js';

/**
 * What one QEMU of a trial needs from the host, from constants measured on QEMU 7.2 (Debian's
 * qemu-system-s390x, TCG, Debian 6.1 s390x guest). Where a figure came from is said beside it,
 * so that a new QEMU or guest can be re-measured the same way.
 */
export interface GuestNeeds {
  /** Open fds once the guest's drivers are up: what the trial measures with. */
  fds: number;
  /** Open fds QEMU needs to start at all; below this it dies on "Too many open files". */
  fdsToStart: number;
  threads: number;
  /** Peak resident memory, MiB: guest RAM it touches plus QEMU's own. */
  memoryMiB: number;
  /** Memory mappings of the QEMU process. */
  maps: number;
  /** Linux AIO events (io_setup): none, QEMU's default aio=threads uses a thread pool. */
  aioEvents: number;
  /** Pseudo-terminals: the case's pty consoles (`ptys:`); the serial console and QMP are unix sockets. */
  ptys: number;
  /** Places for disk devices on the guest's buses (ccw device numbers, PCI slots): one per disk. */
  diskSlots: number;
  /** GSI routes in KVM's table: one per virtqueue under KVM, plus the irqchip's own. */
  routes: number;
  /** Peak resident memory, MiB, of a guest migrating on this host: its source and destination QEMUs. */
  migratingMemoryMiB: number;
}

/**
 * Routes the in-kernel irqchip holds before any device: with x86's default irqchip the PIC and
 * IOAPIC pins (38 entries, committed once at start-up, as the recorded logs in
 * test/fixtures/irq show), with `kernel-irqchip=split` QEMU's userspace IOAPIC's 24 MSI routes;
 * s390x has none (its adapter routes are all per virtqueue). A configuration vector gets no route.
 */
export function fixedRoutes(params: TrialParams): number {
  if (params.accel !== 'kvm' || params.arch !== 'x86_64') return 0;
  return params.irqchip === 'split' ? 24 : 38;
}

/**
 * fds to start: 12 besides the disks' own. Most come before the disks (stdio, the console and
 * QMP sockets, the main loop's epoll and eventfd), but the QMP monitor's iothread is created
 * after them (epoll, eventfd, GLib wakeup): under `prlimit --nofile=400:400` QEMU 7.2 starts with
 * 388 file-backed disks and dies with 389, in every one of 3 runs (test/e2e/limits.test.ts finds
 * it again). Not with "Too many open files" and exit 1 but by SIGABRT (monitor_iothread_init()
 * passes &error_abort to iothread_create()) or SIGTRAP (GLib's g_error on its wakeup pipe).
 * File-backed disks hold one fd each (null-co none).
 */
export const fdsToStartBase = 12;
/**
 * Once the guest drives the queues, each virtqueue gets a host and a guest notifier eventfd, and
 * a few more fds are open: the seed-drain fixture (test/fixtures/runs/seed-drain, upstream)
 * peaked at 765/1515/3015 fds with 250/500/1000 disks and 1 queue (15 + 3 per disk), and a run
 * with 4 queues at 200 disks at 1741 (1 + 2×4 per disk). Short of them QEMU does not fail: it
 * falls back to userspace notification (200 disks booted "ok" under 400 fds), which is another
 * measurement, so the preflight asks for these.
 */
export const fdsRunningBase = 15;
export const notifierFdsPerQueue = 2;
/**
 * Threads: the seed-drain fixture peaked at 5-7 (main loop, 1 vCPU under TCG, RCU, a worker or
 * two). Under I/O load aio=threads grows its pool up to 64 workers per AioContext (QEMU's
 * util/thread-pool.c max_threads), so the need assumes the full pool: threads are cheap limits.
 */
export const threadsBase = 4;
export const threadPoolMax = 64;
/**
 * Memory, from VmHWM: a paused QEMU (-S) with no disks holds 30 MiB and 0.25 MiB more per disk
 * (130 MiB at 400 disks, measured here). The running guest adds what it touches of its RAM:
 * the seed-drain fixture peaked at 270/445/782 MiB with 250/500/1000 disks (≈95 + 0.69 per
 * disk), so the guest touches ≈65 MiB (kernel, initramfs: the arch's guestTouchedBaseMiB) plus
 * ≈0.44 MiB per disk, never more than its RAM.
 */
export const qemuBaseMiB = 30;
export const qemuPerDiskMiB = 0.25;
export const guestPerDiskMiB = 0.44;
/**
 * A NIC on a tap without vhost-net holds 4 fds (the tap's /dev/net/tun and the host notifier
 * eventfds of its rx, tx and ctrl queues) and costs QEMU and the guest 0.44 MiB: one disk and
 * 1 / 256 / 1023 / 1024 / 1100 NICs peaked at 18 / 1038 / 4106 / 4110 / 4414 fds and 157 / 272 /
 * 606 / 607 / 643 MiB (s390x TCG, QEMU 7.2, 2 GiB guest; test/fixtures/runs/nics). The talk counted 8 fds per NIC with vhost-net: its fd and
 * the irqfds besides; that figure is kept for hosts with /dev/vhost-net until measured there.
 */
export const fdsPerNic = 4;
export const fdsPerNicWithVhost = 8;
export const perNicMiB = 0.44;
/** Maps: 297 with no disks, 438 with 100 or 400 disks (paused QEMU, measured here): no growth. */
export const mapsPerQemu = 600;

/**
 * KVM GSI routes a guest's NICs take: none without vhost-net (QEMU then injects their
 * interrupts itself and sets no guest notifiers), the arch's per-NIC count with it.
 */
export function nicRoutes(params: TrialParams, vhostNet: boolean): number {
  if (params.accel !== 'kvm' || !vhostNet) return 0;
  return (params.nics ?? 0) * archSpec(params.arch).nicRoutesWithVhost;
}

/**
 * The most NICs a guest of these parameters (its disks' routes included) can have before its
 * routes overflow a table of `routeLimit` entries (KVM_CAP_IRQ_ROUTING; QEMU keeps one back);
 * null when NICs take no routes. The talk's 4096 / 3 = 1365 on s390x.
 */
export function mostNicsInRouteTable(params: TrialParams, routeLimit: number, vhostNet: boolean): number | null {
  const perNic = nicRoutes({ ...params, nics: 1 }, vhostNet);
  if (perNic === 0) return null;
  const taken = fixedRoutes(params) + params.disks * params.queues;
  return Math.max(0, Math.floor((routeLimit - 1 - taken) / perNic));
}

/**
 * How many of a fleet's `guests` migrate at once: each needs a port of the case's range, and
 * those without one stay where they are (the talk's 96 guests over libvirt's 64 ports).
 */
export function migratingGuests(params: TrialParams, guests: number): number {
  return params.migrate ? Math.min(guests, params.migrate.ports.count) : 0;
}

/**
 * A migrating guest (`migrate:`) is two QEMUs on this host, and after QEMU 7.2 migrated an idle
 * 128 MiB guest, source and destination each held all of its RAM (RssAnon 147 MiB on both sides,
 * from 20 and 15 MiB before, though 0.4 MB was sent). The migration fixture
 * (test/fixtures/runs/migration) peaked at 5.1 and 19.9 GiB with 16 and 64 guests: 327 and
 * 319 MiB a guest, where the 32 guests of its 96-guest trial left without a port held 65 MiB each.
 */
function migratingGuestMiB(params: TrialParams): number {
  const perQemu = qemuBaseMiB + qemuPerDiskMiB * params.disks + params.memoryMiB + perNicMiB * (params.nics ?? 0);
  return Math.ceil(2 * perQemu);
}

export function guestNeeds(params: TrialParams, host: { vhostNet?: boolean } = {}): GuestNeeds {
  const diskFds = params.diskBackend === 'file' ? params.disks : 0;
  const nics = params.nics ?? 0;
  const guestTouchedMiB = Math.min(params.memoryMiB, archSpec(params.arch).guestTouchedBaseMiB + guestPerDiskMiB * params.disks);
  const ownMiB = Math.ceil(qemuBaseMiB + qemuPerDiskMiB * params.disks + guestTouchedMiB + perNicMiB * nics);
  return {
    // A pty console holds its master's fd.
    fds: fdsRunningBase + diskFds + params.disks * params.queues * notifierFdsPerQueue + nics * (host.vhostNet ? fdsPerNicWithVhost : fdsPerNic) + (params.ptys ?? 0),
    // Each tap is opened as its netdev is made, before the guest runs.
    fdsToStart: fdsToStartBase + diskFds + nics + (params.ptys ?? 0),
    threads: threadsBase + params.cpus + threadPoolMax,
    memoryMiB: ownMiB,
    migratingMemoryMiB: migratingGuestMiB(params),
    maps: mapsPerQemu,
    aioEvents: 0,
    ptys: params.ptys ?? 0,
    diskSlots: params.disks,
    routes: params.accel === 'kvm' ? fixedRoutes(params) + params.disks * params.queues + nicRoutes(params, host.vhostNet === true) : 0,
  };
}

/** The most disks one guest of this architecture can have (ccw device numbers, bridge slots). */
export function diskSlotsAvailable(params: TrialParams): number {
  return archSpec(params.arch).maxDisks;
}
