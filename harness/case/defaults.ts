import type { DriveSyntax } from '../record/params.js';
import type { PhaseTimeoutName } from '../record/phases.js';

/**
 * Guest RAM when a case does not say. Measured on QEMU 7.2 (s390x, TCG, Debian's 6.1 kernel):
 * with 4096 disks and -m 2048 the guest saw every disk at 46 s of uptime, and with -m 1024 it
 * never printed its ready marker; each disk's queue, request pool and sysfs objects cost the
 * guest roughly half a MiB.
 */
export function defaultMemoryMiB(disks: number, nics = 0): number {
  // A NIC costs about what a disk does: QEMU and the guest took 0.44 MiB per NIC up to 1100.
  const wanted = 256 + (disks + nics) / 2;
  return Math.max(512, Math.ceil(wanted / 64) * 64);
}

/** Seconds each phase may take before the trial stops as a timeout. */
export type PhaseTimeouts = Record<PhaseTimeoutName, number>;

/**
 * Phase timeouts grow with the disk count, generously above what was measured, so that a slow
 * variant is measured rather than cut off, while a hang still ends. QEMU 7.2 at 4096 disks
 * (s390x, TCG, legacy -drive, -m 2048, a 2-core host): QEMU init 207 s, guest boot 8 s, disk
 * probe 38 s, shutdown 0.25 s. Legacy `-drive` without `unit=` makes QEMU init cubic in the
 * disk count: drive_new() tries units 0, 1, 2, ... and each try walks every BlockBackend
 * (0.22 s at 500 disks, 10.5 s at 2000, 207 s at 4096).
 * In a fleet, later guests start beside the ready ones, and an idle guest is not free (with
 * 1024 disks its main loop polls every notifier fd on each guest timer tick: 0.2-0.3 CPUs
 * measured): cases/host-16x1024.yaml's last guest took 319 s from spawn to ready where the
 * first took 18 s. So the start-up phases of a fleet's guests get a factor of 1 + guests / 4.
 */
export function defaultTimeouts(disks: number, drives: DriveSyntax, guests = 1, nics = 0): PhaseTimeouts {
  const init = drives === 'legacy' ? 30 + 1e-8 * disks ** 3 : 30 + 0.01 * disks;
  const fleet = guests > 1 ? 1 + guests / 4 : 1;
  return {
    qemuInitS: Math.ceil(init * fleet),
    guestBootS: Math.ceil((60 + 0.02 * disks) * fleet),
    diskProbeS: Math.ceil((60 + 0.25 * disks + quadratic * disks ** 2 + nicProbeS(nics)) * fleet),
    shutdownS: Math.ceil(30 + quadratic * disks ** 2),
  };
}

/**
 * QEMU 10.2 drains every disk each time one virtio-blk device starts or stops
 * (patches/blk-aio-context-unchanged): disk probe and shutdown grow with the square of the
 * disk count. Measured on a loaded 2-core host (TCG, legacy -drive): probe 16 / 78 / 609 s and
 * shutdown 5 / 41 / 401 s at 1000 / 2000 / 4096 disks; init 342 s at 4096. The bounds keep
 * about twice that: 1000 disks 70 s shutdown, 4096 disks 1755 s probe, 701 s shutdown and
 * 717 s init (legacy).
 */
const quadratic = 4e-5;

/**
 * The probe waits for NICs too, and their time grows faster than linearly: 4 s for 256 NICs,
 * 51 s for 1100 (s390x TCG, QEMU 7.2, Debian 6.1 guest, on a quiet host); on a host at load
 * 50-60 (2 CPUs) 13 / 68 / 70 s at 256 / 1024 / 1100, and one 1023-NIC probe passed 123 s.
 * The bound is 236 s at 1100 NICs.
 */
function nicProbeS(nics: number): number {
  return 0.05 * nics + 1e-4 * nics ** 2;
}
