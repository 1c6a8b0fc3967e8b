/**
 * What differs between guest architectures: the QEMU binary, the machine, how a disk and the
 * console attach, and how many disks the machine can hold. One file per architecture
 * implements this, so adding one touches nothing else.
 */
export interface ArchSpec {
  name: string;
  qemuBinary: string;
  defaultMachine: string;
  /** Disk device model, e.g. virtio-blk-ccw. */
  diskDevice: string;
  maxDisks: number;
  /** Why maxDisks is the limit, said to a user who asked for more. */
  maxDisksReason: string;
  /** Kernel command-line console for the guest protocol's marker lines. */
  kernelConsole: string;
  /** Machine-specific options for a disk device (bus placement, etc.), by disk index. */
  diskDeviceProps(index: number): string[];
}
