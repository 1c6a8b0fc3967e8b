import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { GuestSession } from '../../harness/run/guest-session.js';
import { trialsOf } from '../helpers.js';
import { bootContext } from '../boot-helpers.js';

// A guest session's cleanup: QEMU dies first, and a cleanup step that throws skips no other.
// Real QEMU, stopped mid-boot by a 0.3 s guest-boot timeout, so that it is alive at cleanup.

/** Gone, or a zombie about to be reaped: either way it runs no more. */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/^\d+ \(.*\) Z/.test(stat);
}

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
