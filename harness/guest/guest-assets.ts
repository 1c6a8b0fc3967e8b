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
