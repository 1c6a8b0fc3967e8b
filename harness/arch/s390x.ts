import type { ArchSpec } from './types.js';

const devnosPerSubchannelSet = 0x10000;

function devno(n: number): string {
  return `devno=fe.0.${n.toString(16).padStart(4, '0')}`;
}

/**
 * s390x on the s390-ccw-virtio machine: every disk is a virtio-blk-ccw device on the virtual
 * channel subsystem. Device numbers are given explicitly, as libvirt does (`devno=fe.0.xxxx`),
 * so a disk's address does not depend on QEMU's free-number search, and every disk stays in
 * subchannel set 0, which any guest kernel sees without multiple-subchannel-set support.
 */
export const s390x: ArchSpec = {
  name: 's390x',
  qemuBinary: 'qemu-system-s390x',
  defaultMachine: 's390-ccw-virtio',
  machineTypes: { pattern: /^(s390-ccw-virtio(-\d+\.\d+)?|none)$/, shown: 's390-ccw-virtio, s390-ccw-virtio-X.Y' },
  diskDevice: 'virtio-blk-ccw',
  maxDisks: devnosPerSubchannelSet,
  maxDisksReason: `s390-ccw-virtio holds ${devnosPerSubchannelSet} virtio-ccw devices in one subchannel set (devno fe.0.0000-fe.0.ffff)`,
  // kvm_arch_irqchip_create() leaves the FLIC to the generic path, where split means
  // "Split IRQ chip mode not supported." and exit(1) (accel/kvm/kvm-all.c, kvm_irqchip_create).
  irqchipModes: ['on', 'off'],
  irqchipModesReason: 's390x has no split irqchip: QEMU exits with "Split IRQ chip mode not supported."',
  virtioSerialDevice: 'virtio-serial-ccw',
  kernelConsole: 'console=ttysclp0',
  // The board selects the channel subsystem, the FLIC and the SCLP console; the rest is the
  // disks, the NICs and the pty consoles' virtio-serial.
  buildDevices: ['S390_CCW_VIRTIO', 'VIRTIO_BLK', 'VIRTIO_NET', 'VIRTIO_SERIAL'],
  machineArgs: () => [],
  diskDeviceProps: (index) => [devno(index)],
  nicDevice: 'virtio-net-ccw',
  // NICs take the device numbers after the disks', in the same subchannel set.
  nicDeviceProps: (index, params) => [devno(params.disks + index)],
  guestCountsNics: true,
  // virtio_ccw_setup_irqroutes(): one adapter route per virtqueue (rx, tx, ctrl): the talk's
  // 4096 / 3 = 1365 NICs per irqchip.
  nicRoutesWithVhost: 3,
  // Debian's kernel and emuflock's initramfs: the seed-drain fixture (limits/needs.ts).
  guestTouchedBaseMiB: 65,
  guestExitStatus: 0,
};
