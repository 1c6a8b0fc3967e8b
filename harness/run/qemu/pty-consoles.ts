import type { ArchSpec } from '../../arch/index.js';

/**
 * virtio-serial's default max_ports (hw/char/virtio-serial-bus.c): ports 0-30 of one controller.
 * More consoles get more controllers, as libvirt adds one when a guest's consoles fill it.
 */
export const portsPerController = 31;

/**
 * A guest's pty consoles the way libvirt gives `<console type='pty'>` beyond the first: each a
 * `-chardev pty` (QEMU opens /dev/ptmx for it at start-up, before the guest runs) behind a
 * virtconsole port on a virtio-serial controller. The guest need not drive them: the host's pty
 * is what counts against kernel.pty.max. Controllers get no explicit address: s390x takes the
 * next free ccw device number after the disks, x86 a free slot on bus 0.
 */
export function ptyConsoleArgs(ptys: number, arch: Pick<ArchSpec, 'virtioSerialDevice'>): string[] {
  const args: string[] = [];
  for (let c = 0; c * portsPerController < ptys; c++) {
    args.push('-device', `${arch.virtioSerialDevice},id=ptyser${c},max_ports=${portsPerController}`);
  }
  for (let k = 0; k < ptys; k++) {
    args.push('-chardev', `pty,id=pty${k}`, '-device', `virtconsole,chardev=pty${k},bus=ptyser${Math.floor(k / portsPerController)}.0`);
  }
  return args;
}
