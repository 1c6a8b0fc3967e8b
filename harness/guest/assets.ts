import type { ArchName } from '../run/arch/index.js';
import { ensureS390xAssets } from './s390x-assets.js';
import { ensureX86ProbeAssets } from './x86-probe-assets.js';

/**
 * What a trial boots: a kernel (or bare-metal image) that speaks the guest protocol, with its
 * initramfs where it has one, and the versions it came from (part of every Observation).
 */
export interface GuestAssets {
  arch: string;
  kernel: string;
  /** Absent for a guest that is a single image (the x86 probe). */
  initrd?: string;
  kernelPackage: string;
  kernelVersion: string;
  busyboxVersion: string;
  key: string;
}

const builders: Record<ArchName, (log: (line: string) => void) => Promise<GuestAssets>> = {
  s390x: ensureS390xAssets,
  x86_64: ensureX86ProbeAssets,
};

/** The cached guest assets of an architecture, built when missing. */
export function ensureGuestAssets(arch: ArchName, log: (line: string) => void = () => {}): Promise<GuestAssets> {
  return builders[arch](log);
}
