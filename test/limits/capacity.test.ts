import t from 'tap';
import { costAt, fitCostModel, sweepDesign, type FleetSample } from '../../harness/limits/capacity/cost-model.js';
import { describedHost, thisHost } from '../../harness/limits/capacity/host-profile.js';
import { projectCapacity } from '../../harness/limits/capacity/projection.js';
import { EmuflockError } from '../../harness/core/errors.js';

// Fleets generated from known costs: 40 MiB + 0.5 MiB/disk, 12 fds + 3/disk, 5 threads, idle
// 0.01 CPUs + 0.0002/disk per guest, plus 100 MiB the host spends whatever the fleet size.
function fleet(guests: number, disks: number): FleetSample {
  return { guests, disks, memoryMiB: 100 + guests * (40 + 0.5 * disks), fds: guests * (12 + 3 * disks), threads: 5 * guests, idleCpu: 0.01 + 0.0002 * disks, committedMiB: 50 + guests * 1700 };
}

t.test('the fit recovers per-guest and per-disk costs, not an average that charges guests for the host', async (t) => {
  const model = fitCostModel(sweepDesign(1024).map(({ guests, disks }) => fleet(guests, disks)));
  t.equal(model.memoryMiB.perGuest, 40);
  t.equal(model.memoryMiB.perDisk, 0.5);
  t.equal(model.fds.perGuest, 12);
  t.equal(model.fds.perDisk, 3);
  t.equal(model.threads.perGuest, 5);
  t.equal(model.threads.perDisk, 0);
  t.ok(Math.abs(model.idleCpu.perGuest - 0.01) < 1e-12 && Math.abs(model.idleCpu.perDisk - 0.0002) < 1e-12);
  t.equal(costAt(model, 'fds', 1024), 12 + 3 * 1024);
});

t.test('the sweep stays small and in the order the fit reads it', async (t) => {
  t.same(sweepDesign(1024), [{ guests: 2, disks: 8 }, { guests: 4, disks: 8 }, { guests: 2, disks: 256 }]);
  t.same(sweepDesign(4), [{ guests: 2, disks: 4 }, { guests: 4, disks: 4 }, { guests: 2, disks: 64 }]);
  t.throws(() => fitCostModel([fleet(2, 8), fleet(2, 128), fleet(4, 8)]), /needs fleets/);
});

t.test('the projection names the first hard limit, and CPU saturation separately', async (t) => {
  const model = fitCostModel(sweepDesign(1024).map(({ guests, disks }) => fleet(guests, disks)));
  const host = { label: 'h', cpus: 2, memoryMiB: 24000, nofileHard: 20000, fileMax: 100000, threadsMax: 1000, pidMax: 32768, nprocSoft: null, commitRoomMiB: null, assumed: [] };
  const p = projectCapacity(model, host, 1024, { limit: 'ccw', disks: 65536 });
  // 552 MiB per guest: 43 by memory; 3084 fds: 32 by fs.file-max; 5 threads: 200 by threads-max.
  t.equal(p.guestBounds.find((b) => b.resource === 'memoryMiB')?.maxGuests, 43);
  t.equal(p.binding?.limit, 'open files, all (fs.file-max)');
  t.equal(p.binding?.maxGuests, 32);
  t.equal(p.guestBounds.find((b) => b.limit.includes('NPROC'))?.maxGuests, null, 'unlimited sets no bound');
  // 0.2148 idle CPUs per guest: 9 guests fill 2 CPUs, before any hard limit.
  t.equal(p.cpuFirst?.maxGuests, 9);
  t.same(p.diskBounds.map((d) => d.maxDisks), [Math.floor((20000 - 12) / 3), Math.floor((24000 - 40) / 0.5), 65536]);
});

t.test('a described host: given values kept, the rest Linux or systemd defaults, each said', async (t) => {
  const h = describedHost('cpus=64,mem=2T,nofile=1048576');
  t.equal(h.cpus, 64);
  t.equal(h.memoryMiB, Math.floor(2 * 1024 * 1024 * 0.95));
  t.equal(h.nofileHard, 1048576);
  t.equal(h.threadsMax, (2 * 1024 * 1024 * 1024) / 128);
  t.equal(h.fileMax, Math.floor((2 * 1024 * 1024 * 1024) / 10));
  t.equal(h.pidMax, 4194304);
  t.notOk(h.assumed.some((a) => a.startsWith('nofile')), 'a given value is not listed as assumed');
  t.ok(h.assumed.some((a) => a.startsWith('pid-max 4194304')));
  for (const [spec, message] of [
    ['cpus=64', /say at least cpus= and mem=/],
    ['cpus=64,mem=2X', /mem=2X: expected a size/],
    ['cpus=64,mem=2T,disks=5', /unknown key "disks"/],
    ['cpus=-1,mem=2T', /cpus=-1: expected a whole number/],
    ['cpus,mem=2T', /"cpus" is not key=value/],
  ] as const) {
    let error: unknown;
    try {
      describedHost(spec);
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof EmuflockError && error.kind === 'input', `${spec}: an input error`);
    t.match((error as Error).message, message);
  }
});

t.test('strict overcommit: committed memory per guest against CommitLimit - Committed_AS', async (t) => {
  const model = fitCostModel(sweepDesign(1024).map(({ guests, disks }) => fleet(guests, disks)));
  t.equal(model.committedMiB.perGuest, 1700, 'what one more guest is charged, the host\'s own 50 MiB left out');
  const base = { label: 'h', cpus: 2, memoryMiB: 240000, nofileHard: null, fileMax: null, threadsMax: null, pidMax: null, nprocSoft: null, assumed: [] };
  const commit = (p: ReturnType<typeof projectCapacity>) => p.guestBounds.find((b) => b.resource === 'committedMiB')!;
  t.equal(commit(projectCapacity(model, { ...base, commitRoomMiB: null }, 1024, { limit: 'ccw', disks: 65536 })).maxGuests, null, 'heuristic overcommit: no bound');
  const strict = projectCapacity(model, { ...base, commitRoomMiB: 17000 }, 1024, { limit: 'ccw', disks: 65536 });
  t.equal(commit(strict).maxGuests, 10);
  t.equal(strict.binding?.limit, 'committed memory (CommitLimit - Committed_AS, vm.overcommit_memory=2)', 'it binds before resident memory');
  t.equal(describedHost('cpus=64,mem=2T,commit=1T').commitRoomMiB, 1024 * 1024);
  t.equal(describedHost('cpus=64,mem=2T').commitRoomMiB, null);
  t.ok(describedHost('cpus=64,mem=2T').assumed.some((a) => a.startsWith('heuristic overcommit')));
  t.throws(() => describedHost('cpus=64,mem=2T,commit=lots'), /commit=lots: expected a size/);
});

t.test('this host: a commit room only under strict overcommit', async (t) => {
  const host = { hostname: 'h', kernel: 'k', arch: 'x64', cpus: 2, cpuModel: 'c', memKiB: 24 << 20, memAvailableKiB: 20 << 20 };
  const limits = { nofileSoft: 1024, nofileHard: 20000, nprocSoft: null, aioMaxNr: null, aioNr: null, fileMax: null, ptyMax: 4096, threadsMax: null, pidMax: null, maxMapCount: null, kvmIrqRoutes: null, commitLimitKiB: 12 << 20, committedAsKiB: 2 << 20 };
  t.equal(thisHost({ ...host, limits: { ...limits, overcommitMemory: 0 } }).commitRoomMiB, null);
  t.equal(thisHost({ ...host, limits: { ...limits, overcommitMemory: 2 } }).commitRoomMiB, 10 * 1024);
});
