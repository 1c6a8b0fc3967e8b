import t from 'tap';
import { after, commandArgs } from './command-args.js';

// The command line of an s390x KVM trial (LinuxONE), checked here where KVM for s390x is absent:
// the same options were accepted by qemu-system-s390x 7.2 under TCG (apart from -accel).

const argsFor = (yaml: string) =>
  commandArgs(`arch: s390x\naccel: kvm\n${yaml}`, { kernel: '/assets/vmlinuz', initrd: '/assets/initrd.gz', guestArgs: ['emuflock.disks=3'] });

t.test('KVM on s390-ccw-virtio: the kernel and initramfs boot with the in-kernel accelerator', async (t) => {
  const a = argsFor('disks: 3\n');
  t.same(after(a, '-machine'), ['s390-ccw-virtio']);
  t.same(after(a, '-accel'), ['kvm']);
  t.same(after(a, '-kernel'), ['/assets/vmlinuz']);
  t.same(after(a, '-initrd'), ['/assets/initrd.gz']);
  t.same(after(a, '-append'), ['console=ttysclp0 quiet emuflock.disks=3']);
  t.same(after(a, '-serial'), ['chardev:console']);
  // The host's CPU model is KVM's default on s390x; firmware and exit devices are x86 matters.
  t.same(after(a, '-cpu'), []);
  t.same(after(a, '-bios'), []);
});

t.test('virtio-blk-ccw disks with several queues, each on an iothread, at fixed device numbers', async (t) => {
  const a = argsFor('disks: 3\nqueues: 4\niothreads: 2\n');
  t.same(after(a, '-object'), ['iothread,id=io0', 'iothread,id=io1']);
  t.same(after(a, '-blockdev'), [0, 1, 2].map((i) => `driver=raw,node-name=d${i},file.driver=file,file.filename=/tmp/x/d${i}.img`));
  t.same(after(a, '-device'), [
    'virtio-blk-ccw,drive=d0,num-queues=4,iothread=io0,devno=fe.0.0000',
    'virtio-blk-ccw,drive=d1,num-queues=4,iothread=io1,devno=fe.0.0001',
    'virtio-blk-ccw,drive=d2,num-queues=4,iothread=io0,devno=fe.0.0002',
  ]);
  t.ok(a.lastIndexOf('-object') < a.indexOf('-blockdev'), 'iothreads exist before the disks that use them');
});

t.test('without iothreads the disks name none; a kernel-irqchip mode goes on the machine', async (t) => {
  t.same(after(argsFor('disks: 1\nqueues: 2\n'), '-device'), ['virtio-blk-ccw,drive=d0,num-queues=2,devno=fe.0.0000']);
  t.same(after(argsFor('disks: 1\nqueues: 2\n'), '-object'), []);
  t.same(after(argsFor('disks: 1\nirqchip: "off"\n'), '-machine'), ['s390-ccw-virtio,kernel-irqchip=off']);
});
