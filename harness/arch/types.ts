/** QEMU's kernel-irqchip modes (-machine kernel-irqchip=): which a target has decides which it accepts. */
export const irqchipModes = ['on', 'split', 'off'] as const;
export type IrqchipMode = (typeof irqchipModes)[number];

/** What of a trial's parameters decides the machine's layout (a case's TrialParams has these and more). */
export interface MachineShape {
  disks: number;
  /** virtio-net devices, placed after the disks (absent: none). */
  nics?: number;
}

/**
 * What differs between guest architectures: the QEMU binary, the machine, how a disk and the
 * console attach, how many disks the machine can hold, and how the guest ends. One file per
 * architecture implements this, so adding one touches nothing else.
 */
export interface ArchSpec {
  name: string;
  qemuBinary: string;
  defaultMachine: string;
  /**
   * The machine type names QEMU gives this target (versioned ones as a pattern: pc-q35-4.0.1,
   * pc-1.0, s390-ccw-virtio-2.4), so a case's `machine:` that is none of them (a typo) is refused
   * before anything is fetched or built; whether the variant's own QEMU has it is checked once
   * that QEMU exists (run/host/host-checks.ts).
   */
  machineTypes: { pattern: RegExp; shown: string };
  /** Disk device model, e.g. virtio-blk-ccw. */
  diskDevice: string;
  maxDisks: number;
  /** Why maxDisks is the limit, said to a user who asked for more. */
  maxDisksReason: string;
  /**
   * The kernel-irqchip modes QEMU accepts for this target under KVM, and why others are not:
   * QEMU exits at start-up on a mode the target has no in-kernel split for.
   */
  irqchipModes: readonly IrqchipMode[];
  irqchipModesReason?: string;
  /** The virtio-serial controller that carries pty consoles (virtconsole ports), as libvirt gives them. */
  virtioSerialDevice: string;
  /** Kernel command-line console for the guest protocol's marker lines. */
  kernelConsole: string;
  /**
   * The Kconfig symbols (QEMU's Kconfig files, without CONFIG_) of the machine and of every
   * device its command lines use: a built variant has only those (harness/variants/devices.ts).
   * The board's own `select`s come with it; a device the board creates by default only when it
   * is built in (an `imply` or `default y if ...` it acts on) is listed, so the machine is the
   * same as a fully configured QEMU's.
   */
  buildDevices: readonly string[];
  /** Options besides the machine, memory, sockets and disks: CPU model, firmware, buses, exit device. */
  machineArgs(params: MachineShape): string[];
  /** Machine-specific options for a disk device (bus placement, etc.), by disk index. */
  diskDeviceProps(index: number, params: MachineShape): string[];
  /** virtio-net device model, e.g. virtio-net-ccw. */
  nicDevice: string;
  /** Machine-specific options for NIC i (placed after the disks), by NIC index. */
  nicDeviceProps(index: number, params: MachineShape): string[];
  /** Whether the guest counts its NICs and says so in its ready marker (`nics=M`). */
  guestCountsNics: boolean;
  /**
   * KVM GSI routes one virtio-net NIC (one queue pair) takes once its guest drives it, with
   * vhost-net; without vhost-net QEMU sets no guest notifiers for virtio-net (only
   * hw/net/vhost_net.c calls set_guest_notifiers) and so adds no route.
   */
  nicRoutesWithVhost: number;
  /** Resident memory, MiB, its guest touches up to the ready marker before any disk (needs.ts). */
  guestTouchedBaseMiB: number;
  /**
   * QEMU's exit status when the guest ends normally after its ready marker: 0 for a power-off;
   * a guest leaving through isa-debug-exit makes QEMU exit with (value << 1) | 1.
   */
  guestExitStatus: number;
}
