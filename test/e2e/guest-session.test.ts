import t from 'tap';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { GuestSession } from '../../harness/run/session/guest-session.js';
import { sampleProcess } from '../../harness/measure/resources.js';
import { trialsOf } from '../helpers.js';
import { bootContext, running } from '../boot-helpers.js';

// A guest session's cleanup: QEMU dies first, and a cleanup step that throws skips no other.
// Real QEMU, stopped mid-boot by a 0.3 s guest-boot timeout, so that it is alive at cleanup.

const trialDirs = async () => (await readdir(tmpdir())).filter((n) => n.startsWith(`emuflock-trial-${process.pid}-`));

class SamplerFails extends GuestSession {
  protected override async stopSampler(): Promise<void> {
    throw new Error('the sampler lost its /proc entry');
  }
}

class HarnessFault extends GuestSession {
  protected override async phases(): Promise<void> {
    throw new Error('a fault of the harness after launch');
  }
}

const [timedOut] = trialsOf('disks: 4\ntimeouts: {guestBootS: 0.3}\n');

t.test('a sampler that throws in cleanup skips neither the kill nor the rest of the cleanup', { timeout: 120_000 }, async (t) => {
  const lines: string[] = [];
  const ctx = { ...(await bootContext()), log: (l: string) => lines.push(l) };
  let pid = 0;
  const run = await new SamplerFails(timedOut!, ctx, { onSpawn: (p) => (pid = p) }).run();
  t.ok(pid > 0, 'QEMU was started');
  t.equal(await running(pid), false, 'QEMU is dead when the session returns');
  t.equal(run.outcome, 'timeout', 'the trial keeps its own outcome');
  t.match(run.error?.message, /guest-boot did not finish within 0\.3 s/);
  t.same(run.resources, { rssPeakKiB: null, fdsPeak: null, threadsPeak: null }, 'no peaks: the sampler failed');
  t.match(lines.join('\n'), /warning: stopping the resource sampler failed after the trial: the sampler lost its \/proc entry/);
  t.same(await trialDirs(), [], 'the trial directory was still removed');
});

t.test('a fault of the harness after launch is rethrown, with QEMU dead and nothing left', { timeout: 120_000 }, async (t) => {
  let pid = 0;
  const session = new HarnessFault(timedOut!, await bootContext(), { onSpawn: (p) => (pid = p) });
  await t.rejects(session.run(), /a fault of the harness after launch/);
  t.ok(pid > 0, 'QEMU was started');
  t.equal(await running(pid), false, 'QEMU is dead');
  t.same(await trialDirs(), [], 'the trial directory was removed');
});

/** Each /proc read starts 2 s late, as on a host so loaded that the sampler lags the guest. */
class LateSampler extends GuestSession {
  protected override readonly readProcess: typeof sampleProcess = async (...args) => {
    await sleep(2000);
    return sampleProcess(...args);
  };
}

// The x86 probe's whole life is ~0.3 s and it left ~40 ms after ready: no periodic sample falls
// in it, and a sample asked for at ready came too late on a loaded host. Seen: a 40-NIC trial
// with no fds, threads or memory recorded. Now QEMU waits for the samples it is given: paused
// after its init, and (the probe waiting for the harness's answer) after ready.
t.test('a guest that powers off before a lagging sampler reads still has its peaks', { timeout: 120_000 }, async (t) => {
  const [probe] = trialsOf('arch: x86_64\nmemoryMiB: 128\ndisk: {backend: null-co}\ndisks: 2\n');
  const run = await new LateSampler(probe!, await bootContext('x86_64')).run();
  t.equal(run.outcome, 'ok', run.error?.message ?? '');
  t.ok(run.resources.fdsPeak !== null && run.resources.fdsPeak > 3, `fds counted: ${run.resources.fdsPeak}`);
  t.ok(run.resources.threadsPeak !== null && run.resources.threadsPeak > 1, `threads counted: ${run.resources.threadsPeak}`);
  // The pause to sample lasts the lag at least: a guest boot shorter than that did not count it.
  t.ok(run.phases.guestBootMs !== null && run.phases.guestBootMs < 2000, `guest boot without the 2 s pause to sample (${run.phases.guestBootMs?.toFixed(0)} ms)`);
});

// Powering off, the guest resets its devices and QEMU closes their notifiers at once: a sample
// asked for at ready and read ~40 ms late saw 15 fds of a 4-disk guest's 23, now and then on a
// loaded host. The guest waits for the harness's answer after ready, so a lagging read still
// sees them all.
t.test("a guest's fds at ready are all counted, even by a sampler whose reads lag 2 s", { timeout: 120_000 }, async (t) => {
  const [four] = trialsOf('disks: 4\n');
  const ctx = await bootContext();
  const prompt = await new GuestSession(four!, ctx).run();
  const late = await new LateSampler(four!, ctx).run();
  t.equal(prompt.outcome, 'ok', prompt.error?.message ?? '');
  t.equal(late.outcome, 'ok', late.error?.message ?? '');
  t.ok(prompt.resources.fdsPeak! > 4 * 3, `fds of 4 disks counted: ${prompt.resources.fdsPeak}`);
  t.equal(late.resources.fdsPeak, prompt.resources.fdsPeak, 'the lagging sampler counts as many');
  t.ok(late.phases.shutdownMs! < 2000, `shutdown without the pause to sample (${late.phases.shutdownMs?.toFixed(0)} ms)`);
});
