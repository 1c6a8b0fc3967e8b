import t from 'tap';
import { archSpec } from '../../../harness/arch/index.js';
import { bridgeLayout } from '../../../harness/arch/x86_64.js';
import { caseErrorOf } from '../../helpers.js';
import { after, commandArgs } from './command-args.js';

const argsFor = (yaml: string, dataDir?: string) =>
  commandArgs(`arch: x86_64\n${yaml}`, { kernel: '/assets/probe.elf', initrd: undefined, dataDir, guestArgs: ['emuflock.disks=2'] });

/** `-device` options as property maps, with the driver under `driver`. */
function devices(args: string[]): Record<string, string>[] {
  return after(args, '-device').map((d) => {
    const [driver, ...props] = d.split(',');
    return { driver: driver!, ...Object.fromEntries(props.map((p) => p.split('=') as [string, string])) };
  });
}

const bridgesOf = (args: string[]) => devices(args).filter((d) => d.driver === 'pci-bridge');
const disksOf = (args: string[]) => devices(args).filter((d) => d.driver === 'virtio-blk-pci');

/** Every bridge and disk sits on a bus defined before it, in a slot nothing else holds: the problems. */
function placementProblems(args: string[]): string[] {
  const buses = new Set(['pci.0']);
  const slots = new Set<string>();
  const problems: string[] = [];
  for (const d of [...bridgesOf(args), ...disksOf(args)]) {
    const name = d.id ?? d.drive;
    const slot = Number(d.addr);
    const key = `${d.bus}/${slot}`;
    if (!buses.has(d.bus!)) problems.push(`${name} on unknown bus ${d.bus}`);
    if (!(slot >= 0 && slot < 32)) problems.push(`${name} in slot ${d.addr}`);
    if (d.bus === 'pci.0' && slot < 2) problems.push(`${name} in bus 0 slot ${slot}, the host bridge's or the PIIX3's`);
    if (slots.has(key)) problems.push(`${name} in ${key}, already taken`);
    slots.add(key);
    if (d.driver === 'pci-bridge') buses.add(d.id!);
  }
  return problems;
}

t.test('the pc machine boots the probe through qboot, with an exit device and no initrd', async (t) => {
  const a = argsFor('disks: 2\n');
  t.same(after(a, '-machine'), ['pc']);
  t.same(after(a, '-bios'), ['qboot.rom']);
  t.same(after(a, '-cpu'), ['qemu64,-cx16']);
  t.same(after(a, '-kernel'), ['/assets/probe.elf']);
  t.same(after(a, '-initrd'), []);
  t.same(after(a, '-append'), ['console=ttyS0 quiet emuflock.disks=2']);
  t.ok(after(a, '-device').includes('isa-debug-exit,iobase=0xf4,iosize=0x04'));
  t.equal(archSpec('x86_64').guestExitStatus, 33, 'the probe writes 0x10: QEMU exits (0x10 << 1) | 1');
});

t.test('firmware comes from the variant data directory when it has one', async (t) => {
  const a = argsFor('disks: 1\n', '/usr/share/qemu');
  t.same(a.slice(0, 2), ['-L', '/usr/share/qemu']);
  t.ok(a.indexOf('-L') < a.indexOf('-bios'));
});

t.test('8 disks: one bridge on bus 0, modern-only virtio-blk-pci in its slots 0-7', async (t) => {
  const a = argsFor('disks: 8\nqueues: 2\ndisk: {backend: null-co}\n');
  t.same(bridgesOf(a), [{ driver: 'pci-bridge', id: 'br0', chassis_nr: '1', shpc: 'off', bus: 'pci.0', addr: '0x2' }]);
  t.same(
    disksOf(a).map((d) => `${d.drive} ${d.bus} ${d.addr} ${d['disable-legacy']} ${d['num-queues']}`),
    Array.from({ length: 8 }, (_, i) => `d${i} br0 0x${i} on 2`),
  );
  t.same(placementProblems(a), []);
});

t.test('64 disks fill two bridges of 32 slots each', async (t) => {
  const a = argsFor('disks: 64\n');
  t.same(bridgesOf(a).map((b) => `${b.id}@${b.bus}:${b.addr}#${b.chassis_nr}`), ['br0@pci.0:0x2#1', 'br1@pci.0:0x3#2']);
  t.same(disksOf(a)[32], { driver: 'virtio-blk-pci', drive: 'd32', 'num-queues': '1', 'disable-legacy': 'on', bus: 'br1', addr: '0x0' });
  t.equal(disksOf(a)[63]!.addr, '0x1f');
  t.same(placementProblems(a), []);
});

t.test('960 disks: 30 bridges fill bus 0 (slots 2-31); 961 nest the leaves under a top bridge', async (t) => {
  const flat = argsFor('disks: 960\ndisk: {backend: null-co}\n');
  t.equal(bridgesOf(flat).length, 30);
  t.ok(bridgesOf(flat).every((b) => b.bus === 'pci.0'));
  t.equal(bridgesOf(flat)[29]!.addr, '0x1f');
  t.same(placementProblems(flat), []);

  const nested = argsFor('disks: 961\ndisk: {backend: null-co}\n');
  const bridges = bridgesOf(nested);
  t.same(bridgeLayout(961), { leaves: 31, tops: 1 });
  t.equal(bridges.length, 32);
  t.same(bridges[0], { driver: 'pci-bridge', id: 'top0', chassis_nr: '32', shpc: 'off', bus: 'pci.0', addr: '0x2' });
  t.ok(bridges.slice(1).every((b) => b.bus === 'top0'), 'every leaf behind the top bridge');
  t.equal(disksOf(nested)[960]!.bus, 'br30');
  t.same(placementProblems(nested), []);
});

t.test('the most disks the machine holds: 255 bridges, chassis numbers 1-255 each once', async (t) => {
  const spec = archSpec('x86_64');
  t.equal(spec.maxDisks, 7904);
  t.same(bridgeLayout(spec.maxDisks), { leaves: 247, tops: 8 });
  t.match(spec.maxDisksReason, /247 pci-bridges × 32 slots, nested under 8 bridges on bus 0/);
  const a = argsFor(`disks: ${spec.maxDisks}\ndisk: {backend: null-co}\n`);
  const chassis = bridgesOf(a).map((b) => Number(b.chassis_nr));
  t.equal(chassis.length, 255);
  t.same([...chassis].sort((x, y) => x - y), Array.from({ length: 255 }, (_, i) => i + 1));
  t.equal(disksOf(a).length, spec.maxDisks);
  t.same(placementProblems(a), []);
  t.match(caseErrorOf(`arch: x86_64\ndisks: ${spec.maxDisks + 1}\n`), /7905 disks do not fit: the pc machine holds 7904/);
});

t.test('KVM with a kernel-irqchip mode and iothreads reach the command line', async (t) => {
  const a = argsFor('accel: kvm\nirqchip: split\ndisks: 4\nqueues: 4\niothreads: 2\n');
  t.same(after(a, '-machine'), ['pc,kernel-irqchip=split']);
  t.same(after(a, '-accel'), ['kvm']);
  t.same(after(a, '-object'), ['iothread,id=io0', 'iothread,id=io1']);
  t.same(
    disksOf(a).map((d) => `${d.drive} ${d.iothread} ${d['num-queues']}`),
    ['d0 io0 4', 'd1 io1 4', 'd2 io0 4', 'd3 io1 4'],
  );
  t.ok(a.indexOf('-object') < a.indexOf('-blockdev'), 'iothreads exist before the disks that use them');
  t.same(after(argsFor('accel: kvm\nirqchip: "off"\ndisks: 1\n'), '-machine'), ['pc,kernel-irqchip=off']);
  t.same(after(argsFor('accel: kvm\ndisks: 1\n'), '-machine'), ['pc']);
});
