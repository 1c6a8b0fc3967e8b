import t from 'tap';
import { summarizeCommandLine } from '../../../harness/run/qemu/command-summary.js';
import { after, commandArgs } from './command-args.js';

const argsFor = (yaml: string) => commandArgs(yaml, { guestArgs: ['emuflock.disks=2'] });

t.test('QEMU starts paused with QMP and console on the harness sockets', async (t) => {
  const a = argsFor('disks: 2\n');
  t.ok(a.includes('-S'));
  t.ok(a.includes('-nodefaults'));
  t.same(after(a, '-chardev'), ['socket,id=qmp,path=/tmp/x/qmp.sock', 'socket,id=console,path=/tmp/x/console.sock']);
  t.same(after(a, '-mon'), ['chardev=qmp,mode=control']);
  t.same(after(a, '-machine'), ['s390-ccw-virtio']);
  t.same(after(a, '-accel'), ['tcg']);
  t.same(after(a, '-append'), ['console=ttysclp0 quiet emuflock.disks=2']);
  t.same(after(a, '-m'), ['512M']);
});

t.test('blockdev syntax: raw over file, explicit ccw device numbers', async (t) => {
  const a = argsFor('disks: 2\nqueues: 4\n');
  t.same(after(a, '-blockdev'), [
    'driver=raw,node-name=d0,file.driver=file,file.filename=/tmp/x/d0.img',
    'driver=raw,node-name=d1,file.driver=file,file.filename=/tmp/x/d1.img',
  ]);
  t.same(after(a, '-device'), [
    'virtio-blk-ccw,drive=d0,num-queues=4,devno=fe.0.0000',
    'virtio-blk-ccw,drive=d1,num-queues=4,devno=fe.0.0001',
  ]);
  t.same(after(a, '-drive'), []);
});

t.test('legacy syntax without unit=, as libvirt of 2015 generated; legacy-unit adds unit=', async (t) => {
  t.same(after(argsFor('disks: 2\ndrives: legacy\n'), '-drive'), [
    'file=/tmp/x/d0.img,format=raw,if=none,id=d0',
    'file=/tmp/x/d1.img,format=raw,if=none,id=d1',
  ]);
  t.same(after(argsFor('disks: 2\ndrives: legacy-unit\n'), '-drive'), [
    'file=/tmp/x/d0.img,format=raw,if=none,id=d0,unit=0',
    'file=/tmp/x/d1.img,format=raw,if=none,id=d1,unit=1',
  ]);
});

t.test('null-co disks need no file and read zeroes', async (t) => {
  t.same(after(argsFor('disks: 1\ndisk: {backend: null-co, sizeMiB: 2}\n'), '-blockdev'), [
    'driver=null-co,node-name=d0,size=2097152,read-zeroes=on',
  ]);
});

t.test('device numbers are 4 hex digits up to the last one of the subchannel set', async (t) => {
  const a = argsFor('disks: 300\n');
  t.equal(after(a, '-device')[299], 'virtio-blk-ccw,drive=d299,num-queues=1,devno=fe.0.012b');
});

t.test('long command lines are summarized with the per-disk options counted', async (t) => {
  const s = summarizeCommandLine('/usr/bin/qemu-system-s390x', argsFor('disks: 1000\n'));
  t.match(s, /^\/usr\/bin\/qemu-system-s390x -nodefaults/);
  t.match(s, /\[\.\.\. 999 more disks with the same options \.\.\.\]$/);
  t.match(s, /-append 'console=ttysclp0 quiet emuflock.disks=2'/);
  t.ok(s.length < 2000);
});

t.test('pty consoles: a -chardev pty behind a virtconsole each, 31 ports per virtio-serial controller', async (t) => {
  t.same(after(argsFor('disks: 2\n'), '-chardev').filter((c) => c.startsWith('pty')), [], 'none by default');
  const a = argsFor('disks: 2\nptys: 33\n');
  const ptys = after(a, '-chardev').filter((c) => c.startsWith('pty'));
  t.equal(ptys.length, 33);
  t.equal(ptys[32], 'pty,id=pty32');
  const devices = after(a, '-device');
  t.same(devices.filter((d) => d.startsWith('virtio-serial')), ['virtio-serial-ccw,id=ptyser0,max_ports=31', 'virtio-serial-ccw,id=ptyser1,max_ports=31']);
  t.equal(devices.filter((d) => d.startsWith('virtconsole')).length, 33);
  t.ok(devices.includes('virtconsole,chardev=pty30,bus=ptyser0.0'));
  t.ok(devices.includes('virtconsole,chardev=pty31,bus=ptyser1.0'));
  const x86 = after(argsFor('arch: x86_64\ndisks: 2\nptys: 1\n'), '-device');
  t.ok(x86.includes('virtio-serial-pci,id=ptyser0,max_ports=31'), 'x86 uses the PCI controller');
});
