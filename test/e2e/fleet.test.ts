import t from 'tap';
import { runTrial } from '../../harness/run/trial/trial.js';
import { trialsOf } from '../helpers.js';
import { bootContext, qemuCount, withQemuPeak } from '../boot-helpers.js';

t.test('a fleet of 4 guests, 2 starting at once: every guest measured, all alive together at the peak', { timeout: 300_000 }, async (t) => {
  const before = await qemuCount();
  const [trial] = trialsOf('disks: 8\nguests: 4\nguestStarts: 2\n');
  const ctx = await bootContext();
  // The counter must see this test's QEMUs, or "none left" below would prove nothing.
  const { result: obs, peak: seen } = await withQemuPeak(250, () => runTrial(trial!, ctx));
  t.ok(seen >= 2, `the counter saw ${seen} QEMUs of this test at once`);
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  t.equal(obs.guests?.length, 4);
  t.match(obs.fleet, { guests: 4, startConcurrency: 2, peakAlive: 4 });
  for (const g of obs.guests ?? []) {
    t.equal(g.outcome, 'ok', `guest ${g.index}: ${g.error?.message ?? ''}`);
    t.equal(g.guest.disksSeen, 8);
    for (const [name, v] of Object.entries(g.phases)) t.ok(typeof v === 'number' && v > 0, `guest ${g.index} ${name} measured (${v})`);
    t.ok(g.resources.fdsPeak! >= 8, `guest ${g.index} fds sampled (${g.resources.fdsPeak})`);
  }
  const totals = obs.guests!.map((g) => g.phases.totalMs!);
  t.equal(obs.phases.totalMs, Math.max(...totals), 'the top-level phases are the slowest guest\'s');
  t.ok(obs.fleet!.allReadyMs! >= Math.max(...totals), `the fleet was up after ${obs.fleet!.allReadyMs} ms`);
  // Only two start at once: the third guest is spawned only when one of the first two is ready.
  const spawns = obs.guests!.map((g) => g.spawnMs!).sort((a, b) => a - b);
  const firstReady = Math.min(...obs.guests!.filter((g) => g.spawnMs! <= spawns[1]!).map((g) => g.spawnMs! + g.phases.totalMs!));
  t.ok(spawns[2]! >= firstReady - 50, `third spawn ${spawns[2]} ms after the first ready at ${firstReady} ms`);
  const perGuestFds = obs.guests!.map((g) => g.resources.fdsPeak!);
  t.ok(obs.resources.fdsPeak! > Math.max(...perGuestFds), `host fds ${obs.resources.fdsPeak} add up over guests (${perGuestFds.join(', ')})`);
  t.equal(await qemuCount(), before, 'no QEMU left');
});

t.test('a fleet whose guests cannot find their disks: each guest fails on its own, the trial says which', { timeout: 300_000 }, async (t) => {
  const before = await qemuCount();
  const [trial] = trialsOf('disks: 4\nguests: 3\nguestStarts: 3\ntimeouts: {diskProbeS: 8}\n');
  const obs = await runTrial(trial!, { ...(await bootContext()), expectDisks: 5 });
  t.equal(obs.outcome, 'guest-failed');
  t.match(obs.error?.message, /^guest 1 of 3: the guest gave up: disks-missing \(saw 4 of 5 disks\)/);
  t.same(obs.guests?.map((g) => g.outcome), ['guest-failed', 'guest-failed', 'guest-failed']);
  t.equal(obs.fleet?.allReadyMs, null);
  t.equal(await qemuCount(), before, 'no QEMU left');
});
