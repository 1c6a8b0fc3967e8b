import type { DriveSyntax } from './schema.js';

/**
 * Guest RAM when a case does not say. FACTS.md: with 4096 disks the guest reached its ready
 * marker with 2 GiB and not with 1 GiB; each disk's queue, request pool and sysfs objects cost
 * the guest roughly half a MiB under the Debian 6.1 kernel.
 */
export function defaultMemoryMiB(disks: number): number {
  const wanted = 256 + disks / 2;
  return Math.max(512, Math.ceil(wanted / 64) * 64);
}

export interface PhaseTimeouts {
  qemuInitS: number;
  guestBootS: number;
  diskProbeS: number;
  shutdownS: number;
}

/**
 * Phase timeouts grow with the disk count, generously above what FACTS.md measured, so that a
 * slow variant is measured rather than cut off, while a hang still ends. Legacy `-drive`
 * without `unit=` makes QEMU start-up cubic in the disk count (207 s at 4096 disks).
 * In a fleet, later guests start beside the ready ones, and an idle guest is not free (with
 * 1024 disks its main loop polls every notifier fd on each guest timer tick: 0.2-0.3 CPUs
 * measured): cases/host-16x1024.yaml's last guest took 319 s from spawn to ready where the
 * first took 18 s. So the start-up phases of a fleet's guests get a factor of 1 + guests / 4.
 */
export function defaultTimeouts(disks: number, drives: DriveSyntax, guests = 1): PhaseTimeouts {
  const init = drives === 'legacy' ? 30 + 5e-9 * disks ** 3 : 30 + 0.01 * disks;
  const fleet = guests > 1 ? 1 + guests / 4 : 1;
  return {
    qemuInitS: Math.ceil(init * fleet),
    guestBootS: Math.ceil((60 + 0.02 * disks) * fleet),
    diskProbeS: Math.ceil((60 + 0.25 * disks) * fleet),
    shutdownS: 30,
  };
}
