import t from 'tap';
import { bridgeOf, bridgesFor, bridgePortsMax, networkSetupBatch, nicMac } from '../../../harness/run/qemu/nic-network.js';
import { mostNicsInRouteTable } from '../../../harness/limits/needs.js';
import { trialsOf } from '../../helpers.js';
import { after, commandArgs } from './command-args.js';

const argsFor = (yaml: string, vhostNet = false) => commandArgs(yaml, { vhostNet });
const props = (opt: string): Record<string, string | undefined> => Object.fromEntries(opt.split(',').slice(1).map((p) => p.split('=') as [string, string]));

t.test('s390x: each NIC is a tap netdev and a virtio-net-ccw device numbered after the disks', async (t) => {
  const args = argsFor('disks: 3\nnics: 2\n');
  t.same(after(args, '-netdev'), ['tap,id=n0,ifname=t0,script=no,downscript=no', 'tap,id=n1,ifname=t1,script=no,downscript=no']);
  const nics = after(args, '-device').filter((d) => d.startsWith('virtio-net-ccw,'));
  t.same(nics.map(props), [
    { netdev: 'n0', mac: '52:54:01:00:00:00', devno: 'fe.0.0003' },
    { netdev: 'n1', mac: '52:54:01:00:00:01', devno: 'fe.0.0004' },
  ]);
  const devnos = after(args, '-device').map((d) => props(d).devno);
  t.equal(new Set(devnos).size, devnos.length, 'no device number is used twice');
});

t.test('vhost=on only where the host has /dev/vhost-net', async (t) => {
  t.notMatch(after(argsFor('disks: 1\nnics: 1\n', false), '-netdev')[0], /vhost/);
  t.match(after(argsFor('disks: 1\nnics: 1\n', true), '-netdev')[0], /,vhost=on$/);
});

t.test('no NICs, no netdev: cases without nics keep their command line', async (t) => {
  t.same(after(argsFor('disks: 2\n'), '-netdev'), []);
  t.equal(trialsOf('disks: 2\n')[0]!.params.nics, undefined, 'and their params (journals compare them)');
});

t.test('x86_64: virtio-net-pci NICs fill the bridge slots after the disks', async (t) => {
  const args = argsFor('arch: x86_64\ndisks: 31\nnics: 2\n');
  const nics = after(args, '-device').filter((d) => d.startsWith('virtio-net-pci,')).map(props);
  t.same(nics, [
    { netdev: 'n0', mac: '52:54:01:00:00:00', 'disable-legacy': 'on', bus: 'br0', addr: '0x1f' },
    { netdev: 'n1', mac: '52:54:01:00:00:01', 'disable-legacy': 'on', bus: 'br1', addr: '0x0' },
  ]);
  const bridges = after(args, '-device').filter((d) => d.startsWith('pci-bridge,'));
  t.equal(bridges.length, 2, 'the NICs count in the bridges the machine needs');
});

t.test('every MAC differs, past the 169 QEMU would number itself', async (t) => {
  const macs = new Set(Array.from({ length: 65536 }, (_, i) => nicMac(i)));
  t.equal(macs.size, 65536);
  t.equal(nicMac(0x1234), '52:54:01:00:12:34');
});

t.test('taps are spread over bridges of 1023 ports', async (t) => {
  t.equal(bridgePortsMax, 1023);
  t.same([1, 1023, 1024, 2046, 2047].map(bridgesFor), [1, 1, 2, 2, 3]);
  t.same([0, 1022, 1023, 2046].map(bridgeOf), [0, 0, 1, 2]);
  const batch = networkSetupBatch(1024).trim().split('\n');
  t.same(batch.slice(0, 2), ['link add br0 type bridge', 'link add br1 type bridge']);
  t.equal(batch.filter((l) => l.startsWith('tuntap add dev t')).length, 1024);
  t.equal(batch.filter((l) => l.endsWith('master br0')).length, 1023);
  t.same(batch.filter((l) => l.endsWith('master br1')), ['link set t1023 master br1']);
});

t.test("up to the route boundary: the NIC counts KVM's table holds make valid command lines", async (t) => {
  const talkRoutes = 4096;
  // x86_64: 1 disk + 1352 NICs = 1353 devices, 43 leaf bridges nested under 2 tops.
  const x86 = trialsOf('arch: x86_64\naccel: kvm\ndisks: 1\nnics: 1\n')[0]!.params;
  const mostX86 = mostNicsInRouteTable(x86, talkRoutes, true)!;
  t.equal(mostX86, 1352);
  const args = argsFor(`arch: x86_64\naccel: kvm\ndisks: 1\nnics: ${mostX86}\n`, true);
  const devices = after(args, '-device').map((d): Record<string, string | undefined> => ({ driver: d.split(',')[0]!, ...props(d) })).filter((d) => d.bus !== undefined);
  const bridges = devices.filter((d) => d.driver === 'pci-bridge');
  const buses = new Set(['pci.0', ...bridges.map((b) => b.id)]);
  const slots = devices.map((d) => `${d.bus}/${Number(d.addr)}`);
  t.equal(new Set(slots).size, slots.length, 'no two devices share a slot');
  t.ok(devices.every((d) => buses.has(d.bus!)), 'every device sits on a bus that exists');
  t.equal(devices.filter((d) => d.driver === 'virtio-net-pci').length, mostX86);
  t.equal(after(args, '-netdev').filter((n) => n.endsWith(',vhost=on')).length, mostX86);
  // s390x: 1 disk + 1364 NICs, device numbers fe.0.0000-fe.0.0554, each once.
  const s390 = trialsOf('accel: kvm\ndisks: 1\nnics: 1\n')[0]!.params;
  const mostS390 = mostNicsInRouteTable(s390, talkRoutes, true)!;
  t.equal(mostS390, 1364);
  const devnos = after(argsFor(`accel: kvm\ndisks: 1\nnics: ${mostS390}\n`, true), '-device').map((d) => props(d).devno);
  t.equal(new Set(devnos).size, mostS390 + 1);
  t.equal(devnos.at(-1), 'fe.0.0554');
});
