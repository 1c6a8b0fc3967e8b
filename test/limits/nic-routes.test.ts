import t from 'tap';
import { checkLimits, type HostHave } from '../../harness/limits/checks.js';
import { guestNeeds, mostNicsInRouteTable, nicRoutes } from '../../harness/limits/needs.js';
import { nicRouteVerdict } from '../../harness/limits/nic-route-limit.js';
import { trialsOf } from '../helpers.js';

const paramsOf = (yaml: string) => trialsOf(yaml)[0]!.params;
const talkRoutes = 4096;

t.test("s390x KVM with vhost-net: 3 adapter routes per NIC, the talk's 1365 NICs per irqchip", async (t) => {
  const params = paramsOf('accel: kvm\ndisks: 1\nnics: 1\n');
  t.equal(nicRoutes(params, true), 3);
  // The guest's one disk takes a route too: 1364 beside it, 1365 with no disk.
  t.equal(mostNicsInRouteTable(params, talkRoutes, true), 1364);
  t.equal(mostNicsInRouteTable({ ...params, disks: 0 }, talkRoutes, true), 1365);
});

t.test('x86_64 KVM with vhost-net: config, rx and tx vectors, beside the 38 routes of the default irqchip', async (t) => {
  const params = paramsOf('arch: x86_64\naccel: kvm\ndisks: 1\nnics: 1\n');
  t.equal(nicRoutes(params, true), 3);
  t.equal(mostNicsInRouteTable(params, talkRoutes, true), Math.floor((4095 - 38 - 1) / 3));
  const split = paramsOf('arch: x86_64\naccel: kvm\nirqchip: split\ndisks: 1\nnics: 1\n');
  t.equal(mostNicsInRouteTable(split, talkRoutes, true), Math.floor((4095 - 24 - 1) / 3));
});

t.test('without vhost-net (this host) or under TCG NICs take no route and never overflow the table', async (t) => {
  t.equal(nicRoutes(paramsOf('arch: x86_64\naccel: kvm\ndisks: 1\nnics: 2000\n'), false), 0);
  t.equal(mostNicsInRouteTable(paramsOf('arch: x86_64\naccel: kvm\ndisks: 1\nnics: 1\n'), talkRoutes, false), null);
  t.equal(nicRoutes(paramsOf('disks: 1\nnics: 2000\n'), true), 0);
});

t.test('the preflight says, advisory, where the NICs overflow the route table, and not one NIC earlier', async (t) => {
  const have = (vhostNet: boolean): HostHave => ({
    limits: { nofileSoft: 1024, nofileHard: 65536, nprocSoft: 96000, aioMaxNr: 65536, aioNr: 0, fileMax: 2_000_000, ptyMax: 4096, threadsMax: 190_000, pidMax: 32768, maxMapCount: 65530, kvmIrqRoutes: talkRoutes },
    memAvailableKiB: 22 * 1024 * 1024,
    vhostNet,
  });
  const routesCheck = (nics: number, vhostNet: boolean) =>
    checkLimits(paramsOf(`arch: x86_64\naccel: kvm\ndisks: 1\nnics: ${nics}\n`), have(vhostNet)).find((c) => c.limit.startsWith('KVM GSI routes'));
  const most = mostNicsInRouteTable(paramsOf('arch: x86_64\naccel: kvm\ndisks: 1\nnics: 1\n'), talkRoutes, true)!;
  t.match(routesCheck(most, true), { fits: true, need: 38 + 1 + 3 * most });
  t.match(routesCheck(most + 1, true), { fits: false, advisory: true, have: 4095 });
  t.match(routesCheck(most + 1, false), { fits: true, need: 39 }, 'without vhost-net the same NICs fit');
});

t.test('fds and memory grow with NICs as measured: 4 fds per NIC without vhost-net', async (t) => {
  const at = (nics: number) => guestNeeds(paramsOf(`disks: 1\nnics: ${nics}\nmemoryMiB: 2048\n`));
  t.equal(at(1100).fds - at(256).fds, 4 * 844);
  t.equal(at(1100).fdsToStart - at(256).fdsToStart, 844, 'one tap fd each to start');
  // Measured: 4414 fds at 1100 NICs; the model is an upper bound within 1%.
  t.ok(at(1100).fds >= 4414 && at(1100).fds <= 4414 * 1.01, `predicted ${at(1100).fds}`);
  t.equal(guestNeeds(paramsOf('disks: 1\nnics: 10\n'), { vhostNet: true }).fds - guestNeeds(paramsOf('disks: 1\nnics: 10\n')).fds, 40);
});

t.test('doctor says where NICs meet the route table, or why no count applies', async (t) => {
  const kvm = (nics: number) => paramsOf(`accel: kvm\ndisks: 1\nnics: ${nics}\n`);
  t.equal(
    nicRouteVerdict(kvm(1364), talkRoutes, true),
    'NICs and KVM routes: 3 per NIC with vhost-net; at most 1364 NICs beside the disks fit 4096 routes; 1364 fit',
  );
  // 1 disk + 1366 × 3 = 4099 routes of the 4095 QEMU uses.
  t.match(nicRouteVerdict(kvm(1366), talkRoutes, true), /; 1366 overflow it by 4 routes$/);
  t.match(nicRouteVerdict(kvm(1366), talkRoutes, false), /no \/dev\/vhost-net, so NICs take no routes/);
  t.match(nicRouteVerdict(kvm(8), null, true), /no \/dev\/kvm/);
  t.equal(nicRouteVerdict(paramsOf('disks: 1\nnics: 8\n'), talkRoutes, true), undefined, 'TCG: no irqchip, no routes');
  t.equal(nicRouteVerdict(paramsOf('accel: kvm\ndisks: 1\n'), talkRoutes, true), undefined, 'no NICs');
});
