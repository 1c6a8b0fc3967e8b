import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkLimits, shortfallLine, type HostHave } from '../../harness/limits/checks.js';
import { guestNeeds } from '../../harness/limits/needs.js';
import { repoRoot, trialsOf } from '../helpers.js';
import type { Observation } from '../../harness/record/observation.js';

const paramsOf = (yaml: string) => trialsOf(yaml)[0]!.params;

const roomy: HostHave = {
  limits: { nofileSoft: 1024, nofileHard: 20000, nprocSoft: 96000, aioMaxNr: 65536, aioNr: 0, fileMax: 2_000_000, ptyMax: 4096, threadsMax: 190_000, pidMax: 32768, maxMapCount: 65530, kvmIrqRoutes: 4096 },
  memAvailableKiB: 22 * 1024 * 1024,
};

t.test('the model predicts the seed-drain fixture\'s measured peaks (upstream QEMU 7.2)', async (t) => {
  const lines = readFileSync(join(repoRoot, 'test/fixtures/runs/seed-drain/journal.jsonl'), 'utf8').trim().split('\n');
  const upstream = lines.map((l) => JSON.parse(l) as Observation).filter((o) => o.variant.name === 'upstream' && o.outcome === 'ok');
  t.ok(upstream.length >= 6);
  for (const disks of [250, 500, 1000]) {
    const at = upstream.filter((o) => o.params.disks === disks);
    const n = guestNeeds(at[0]!.params);
    // fds are sampled once a second and a peak can be missed: the highest sample is the measure.
    const fds = Math.max(...at.map((o) => o.resources.fdsPeak!));
    t.ok(fds <= n.fds && fds >= 0.98 * n.fds, `${disks} disks: ${n.fds} fds predicted, ${fds} measured`);
    const rssMiB = Math.max(...at.map((o) => o.resources.rssPeakKiB!)) / 1024;
    t.ok(Math.abs(n.memoryMiB - rssMiB) / rssMiB <= 0.1, `${disks} disks: ${n.memoryMiB} MiB predicted, ${rssMiB.toFixed(0)} measured`);
  }
});

t.test('queues add two notifier fds each; null-co disks hold no image fd; no aio events or ptys', async (t) => {
  t.equal(guestNeeds(paramsOf('disks: 200\nqueues: 4\n')).fds, 15 + 200 * (1 + 2 * 4));
  const nullCo = guestNeeds(paramsOf('disks: 200\ndisk: {backend: null-co}\n'));
  t.equal(nullCo.fds, 15 + 200 * 2);
  t.equal(nullCo.fdsToStart, 12);
  t.equal(nullCo.aioEvents, 0);
  t.equal(nullCo.ptys, 0);
});

t.test('a short hard open-file limit is the binding limit, with the root remedy', async (t) => {
  const have = { ...roomy, limits: { ...roomy.limits, nofileSoft: 400, nofileHard: 400 } };
  const checks = checkLimits(paramsOf('disks: 200\n'), have);
  const short = checks.filter((c) => !c.fits);
  t.same(short.map((c) => c.limit), ['open files per QEMU (RLIMIT_NOFILE)']);
  t.equal(short[0]!.need, 615);
  t.match(shortfallLine(short[0]!), /needs 615 fds, the host has 400; raise the hard limit \(400\) to 615, which needs root: `prlimit --pid <shell pid> --nofile=615:615`, LimitNOFILE=615/);
});

t.test('per-QEMU limits hold for each guest, system-wide ones for all of them', async (t) => {
  const p = paramsOf('disks: 1024\n');
  const one = checkLimits(p, roomy);
  const sixteen = checkLimits(p, roomy, 16);
  const need = (cs: typeof one, limit: RegExp) => cs.find((c) => limit.test(c.limit))!.need;
  t.equal(need(sixteen, /RLIMIT_NOFILE/), need(one, /RLIMIT_NOFILE/));
  t.equal(need(sixteen, /file-max/), 16 * need(one, /file-max/));
  t.equal(need(sixteen, /MemAvailable/), 16 * need(one, /MemAvailable/));
  t.ok(sixteen.every((c) => c.fits), '16 guests of 1024 disks fit a 22 GiB host');
  const tight = checkLimits(p, { ...roomy, memAvailableKiB: 4 * 1024 * 1024 }, 16);
  t.match(tight.find((c) => !c.fits)?.limit, /MemAvailable/);
});

t.test('an unlimited or unreadable limit never refuses; a sysctl shortfall says the sysctl', async (t) => {
  const have = { ...roomy, limits: { ...roomy.limits, nofileHard: null, fileMax: 1000 } };
  const checks = checkLimits(paramsOf('disks: 500\n'), have);
  t.ok(checks.find((c) => c.limit.includes('RLIMIT_NOFILE'))!.fits);
  t.match(checks.find((c) => !c.fits)?.remedy, /^sysctl -w fs\.file-max=3030 /);
});

t.test('KVM routes: one per virtqueue plus the irqchip\'s own, against the read limit; over it is measured, not refused', async (t) => {
  const s390 = checkLimits(paramsOf('accel: kvm\ndisks: 1024\nqueues: 4\ndisk: {backend: null-co}\n'), roomy);
  const routes = s390.find((c) => c.limit.startsWith('KVM GSI routes'))!;
  t.match(routes, { need: 4096, have: 4095, fits: false, advisory: true });
  t.ok(checkLimits(paramsOf('accel: kvm\ndisks: 1023\nqueues: 4\ndisk: {backend: null-co}\n'), roomy).find((c) => c.limit.startsWith('KVM GSI'))!.fits, '1023 x 4 = 4092 fit');
  const x86 = (irqchip: string) => checkLimits(paramsOf(`arch: x86_64\naccel: kvm\nirqchip: ${irqchip}\ndisks: 64\nqueues: 4\nmemoryMiB: 128\n`), roomy).find((c) => c.limit.startsWith('KVM GSI'))!;
  t.equal(x86('on').need, 38 + 256, 'the PIC and IOAPIC pins');
  t.equal(x86('split').need, 24 + 256, 'the userspace IOAPIC\'s MSI routes');
  t.notOk(checkLimits(paramsOf('disks: 8\n'), roomy).some((c) => c.limit.startsWith('KVM GSI')), 'no routes under TCG');
  // The preflight boots it: running out of routes is what such a case measures.
  const { preflight } = await import('../../harness/run/host/preflight.js');
  const trial = trialsOf('accel: kvm\ndisks: 1024\nqueues: 4\ndisk: {backend: null-co}\n')[0]!;
  const ctx = { runId: 't', host: { limits: roomy.limits } } as unknown as Parameters<typeof preflight>[1];
  t.equal(await preflight(trial, ctx), undefined);
  const short = { runId: 't', host: { limits: { ...roomy.limits, nofileHard: 100 } }, assets: {}, variant: { record: {} } } as unknown as Parameters<typeof preflight>[1];
  t.equal((await preflight(trial, short))?.outcome, 'refused-by-preflight', 'while a real shortfall still refuses');
});

t.test('ptys: the need is the case\'s consoles per guest, the have the room measured', async (t) => {
  const ptyCheck = (yaml: string, ptyRoom: HostHave['limits']['ptyRoom']) =>
    checkLimits(paramsOf(yaml), { ...roomy, limits: { ...roomy.limits, ptyRoom } }).find((c) => c.limit.startsWith('ptys'))!;
  t.match(ptyCheck('disks: 2\n', { free: 0, by: 'devpts max=' }), { need: 0, fits: true });
  const devpts = ptyCheck('disks: 2\nptys: 10\n', { free: 8, by: 'devpts max=' });
  t.match(devpts, { limit: 'ptys free in /dev/pts (its devpts max=)', need: 10, have: 8, fits: false });
  t.match(shortfallLine(devpts), /needs 10 ptys, the host has 8; mount \/dev\/pts with room/);
  const kernel = ptyCheck('disks: 2\nptys: 4\nguests: 3\n', { free: 10, by: 'kernel.pty.max' });
  t.match(kernel, { limit: 'ptys free (kernel.pty.max - kernel.pty.nr)', need: 12, have: 10, fits: false });
  t.match(kernel.remedy, /sysctl -w kernel\.pty\.max=4120/);
  t.match(ptyCheck('disks: 2\nptys: 4\n', undefined), { limit: 'ptys (kernel.pty.max)', have: 4096, fits: true }, 'a record without the room falls back to pty.max');
  t.equal(guestNeeds(paramsOf('disks: 2\nptys: 4\n')).fds - guestNeeds(paramsOf('disks: 2\n')).fds, 4, 'each console holds its master fd');
});

t.test('a migrating guest counts its destination QEMU: the migration fixture\'s peaks within 10%', async (t) => {
  const lines = readFileSync(join(repoRoot, 'test/fixtures/runs/migration/journal.jsonl'), 'utf8').trim().split('\n');
  const runs = lines.map((l) => JSON.parse(l) as Observation);
  const memory = (cs: ReturnType<typeof checkLimits>) => cs.find((c) => /MemAvailable/.test(c.limit))!;
  // At 96 guests only 64 had a port: the other 32 stayed unmigrated, with no destination.
  for (const guests of [16, 64, 96]) {
    const o = runs.find((r) => r.params.guests === guests)!;
    t.ok(o.params.migrate, `${guests} guests migrated`);
    const predicted = memory(checkLimits(o.params, roomy)).need;
    const measured = o.resources.rssPeakKiB! / 1024;
    t.ok(Math.abs(predicted - measured) / measured <= 0.1, `${guests} guests: ${predicted} MiB predicted, ${measured.toFixed(0)} measured`);
    const unmigrated = guestNeeds(o.params).memoryMiB * guests;
    t.ok(unmigrated < measured / 2, `without the destinations the model said ${unmigrated} MiB`);
  }
  const p = runs.find((r) => r.params.guests === 64)!.params;
  const checks = checkLimits(p, roomy);
  const need = (limit: RegExp) => checks.find((c) => limit.test(c.limit))!.need;
  const alone = checkLimits({ ...p, migrate: undefined }, roomy);
  const needAlone = (limit: RegExp) => alone.find((c) => limit.test(c.limit))!.need;
  t.equal(need(/file-max/), 2 * needAlone(/file-max/), 'two QEMUs per guest hold fds');
  t.equal(need(/threads-max/), 2 * needAlone(/threads-max/));
  t.equal(need(/RLIMIT_NOFILE/), needAlone(/RLIMIT_NOFILE/), 'the per-QEMU limit stays per QEMU');
  t.ok(memory(checks).fits, 'they fit 22 GiB, as they did on this host');
  const sixteenGiB = { ...roomy, memAvailableKiB: 16 * 1024 * 1024 };
  t.notOk(memory(checkLimits(p, sixteenGiB)).fits, 'and not 16 GiB');
  t.ok(memory(checkLimits({ ...p, migrate: undefined }, sixteenGiB)).fits, 'which unmigrated guests would fit');
});
