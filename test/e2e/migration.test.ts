import t from 'tap';
import { createServer, type Server } from 'node:net';
import { execa } from 'execa';
import { runTrial } from '../../harness/run/trial/trial.js';
import { canBind } from '../../harness/run/trial/migration/port-range.js';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliPath, tempDir, trialsOf, writeCase } from '../helpers.js';
import { bootContext, goneWithin, qemuCount, withQemuPeak } from '../boot-helpers.js';

// Real migrations: the x86 probe under TCG, each guest to a second QEMU over TCP on 127.0.0.1.

/** The pids of the QEMUs a process started whose command line matches `pattern`. */
async function childQemus(parent: number, pattern: string): Promise<number[]> {
  const r = await execa('pgrep', ['-P', String(parent), '-f', pattern], { reject: false });
  return r.stdout.trim().split('\n').filter(Boolean).map(Number);
}

/** The first of `count` consecutive ports free right now, away from libvirt's range. */
async function freeRun(count: number): Promise<number> {
  for (let from = 40000 + (process.pid % 500) * 8; from < 60000; from += count) {
    const free = await Promise.all(Array.from({ length: count }, (_, i) => canBind(from + i)));
    if (free.every(Boolean)) return from;
  }
  throw new Error('no free ports');
}

const listen = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ port, host: '127.0.0.1' }, () => resolve(s));
  });

t.test('3 guests, a range of 3 ports with one held by another program: 2 migrate, the third has no port', { timeout: 120_000 }, async (t) => {
  const before = await qemuCount();
  const from = await freeRun(3);
  const squatter = await listen(from + 1);
  t.teardown(() => squatter.close());
  const [trial] = trialsOf(`arch: x86_64\nmemoryMiB: 128\ndisks: 1\nguests: 3\nguestStarts: 3\nmigrate:\n  ports: {from: ${from}, count: 3}\n  timeoutS: 60\n`);
  const ctx = await bootContext('x86_64');
  const { result: obs, peak: seen } = await withQemuPeak(100, () => runTrial(trial!, ctx));
  t.equal(obs.outcome, 'ok', obs.error?.message ?? 'every guest booted');
  const m = obs.migration!;
  t.ok(m, 'the observation has a migration record');
  t.same(m.ports, { from, count: 3 });
  t.equal(m.started, 2);
  t.equal(m.completed, 2);
  t.equal(m.peakInFlight, 2, 'both migrations were under way together');
  const byOutcome = (o: string) => m.perGuest.filter((g) => g.outcome === o);
  const done = byOutcome('completed');
  t.same(done.map((g) => g.port).sort(), [from, from + 2], 'the held port was skipped for the next one');
  for (const g of done) {
    t.equal(g.destinationRunning, true, `guest ${g.index} runs on its destination`);
    t.ok(g.totalMs! > 0 && g.totalMs! < 60_000, `guest ${g.index} total ${g.totalMs} ms`);
    t.ok(g.downtimeMs! >= 0 && g.downtimeMs! <= g.totalMs!, `guest ${g.index} downtime ${g.downtimeMs} ms within its total`);
    t.ok(g.setupMs! >= 0 && g.setupMs! <= g.totalMs!, `guest ${g.index} setup ${g.setupMs} ms`);
    t.ok(g.transferredBytes! > 4096 && g.transferredBytes! < 128 * 1024 * 1024, `guest ${g.index} sent ${g.transferredBytes} bytes`);
  }
  t.match(byOutcome('no-port'), [{ port: null, reason: `Unable to find an unused port in range 'migration' (${from}-${from + 2})`, totalMs: null, destinationRunning: null }]);
  t.ok(m.allEndedMs! >= Math.max(...done.map((g) => g.totalMs!)) - 50, `all ended after ${m.allEndedMs} ms`);
  // Uncapped, destinations live a few hundred ms at most: seeing the three sources is what shows
  // the counter sees this test's QEMUs (the capped test below sees both sides together).
  t.equal(seen >= 3, true, `the counter saw this test's QEMUs (${seen})`);
  t.equal(await qemuCount(), before, 'no QEMU left, source or destination');
});

t.test('a migration capped at maxBandwidthMiBs takes at least its bytes over that bandwidth', { timeout: 90_000 }, async (t) => {
  const before = await qemuCount();
  const from = await freeRun(1);
  const capMiBs = 0.5;
  const [trial] = trialsOf(`arch: x86_64\nmemoryMiB: 128\ndisks: 1\nmigrate:\n  ports: {from: ${from}, count: 1}\n  maxBandwidthMiBs: ${capMiBs}\n  timeoutS: 60\n`);
  const ctx = await bootContext('x86_64');
  const { result: obs, peak: seen } = await withQemuPeak(100, () => runTrial(trial!, ctx));
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  const [g] = obs.migration!.perGuest;
  t.equal(g?.outcome, 'completed', g?.reason ?? '');
  // QEMU lets a tenth of the cap through per 100 ms window, so the last window comes free; 50 ms
  // more for its clock's whole milliseconds. Uncapped, the same guest takes ~20 ms here.
  const floorMs = (g!.transferredBytes! / (capMiBs * 1024 * 1024)) * 1000 - 150;
  t.ok(g!.totalMs! >= floorMs, `${g!.transferredBytes} bytes in ${g!.totalMs} ms, at ${capMiBs} MiB/s no less than ${floorMs.toFixed(0)} ms`);
  t.equal(seen, before + 2, 'the counter saw source and destination together');
  t.equal(await qemuCount(), before, 'no QEMU left, source or destination');
});

t.test('a migration still going at the case\'s timeoutS is cancelled: outcome timeout, the guest stays on its source', { timeout: 90_000 }, async (t) => {
  const before = await qemuCount();
  const from = await freeRun(1);
  // Uncapped, a probe guest's migration can end before the first poll (43 ms seen, 512 MiB of
  // zero pages): capped at 0.1 MiB/s its ~0.5 MB take seconds, and 1 ms is gone at the first poll.
  const [trial] = trialsOf(`arch: x86_64\nmemoryMiB: 128\ndisks: 1\nmigrate:\n  ports: {from: ${from}, count: 1}\n  maxBandwidthMiBs: 0.1\n  timeoutS: 0.001\n`);
  const obs = await runTrial(trial!, await bootContext('x86_64'));
  t.equal(obs.outcome, 'ok', obs.error?.message ?? 'the source guest quit normally after the cancelled migration');
  t.match(obs.migration, { started: 1, completed: 0, peakInFlight: 1 });
  t.match(obs.migration!.perGuest, [{ outcome: 'timeout', port: from, reason: /not done within the case's migrate\.timeoutS; the source then said cancelled/, destinationRunning: null }]);
  t.equal(await qemuCount(), before, 'no QEMU left, source or destination');
});

t.test('SIGKILL of the harness mid-migration takes sources and destinations down', { timeout: 90_000 }, async (t) => {
  const dir = await tempDir();
  const from = await freeRun(4);
  // Capped, so "mid-migration" lasts seconds: uncapped, all four had migrated and quit between
  // two looks on a loaded host (the second found no QEMU at all).
  const file = await writeCase(dir, 'migrating', `arch: x86_64\nmemoryMiB: 128\ndisks: 1\nguests: 4\nguestStarts: 4\nmigrate:\n  ports: {from: ${from}, count: 4}\n  maxBandwidthMiBs: 0.1\n`);
  const harness = execa('node', [cliPath, 'run', file, '--results', join(dir, 'results')], { reject: false, cwd: dir });
  let destinations: number[] = [];
  for (const deadline = Date.now() + 60_000; destinations.length === 0 && Date.now() < deadline; await sleep(20)) {
    destinations = await childQemus(harness.pid!, 'qemu-system-x86_64.*-incoming defer');
  }
  t.ok(destinations.length > 0, `destination QEMUs ${destinations.join(', ')} were running`);
  const all = await childQemus(harness.pid!, 'qemu-system-x86_64');
  t.ok(all.length > destinations.length, `with their sources (${all.length} QEMUs)`);
  harness.kill('SIGKILL');
  await harness;
  // Orphans until they die: their parent is gone, so a zombie waits for init to reap it.
  const left: number[] = [];
  for (const pid of all) if (!(await goneWithin(pid, 10_000))) left.push(pid);
  t.same(left, [], 'no QEMU of the killed harness is left');
});
