import t from 'tap';
import { runTrial } from '../../harness/run/trial/trial.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, trialsOf } from '../helpers.js';
import { bootContext } from '../boot-helpers.js';

// Failures are outcomes with reasons, never exceptions.

t.test('a guest waiting for a disk that never comes fails with the reason', { timeout: 120_000 }, async (t) => {
  const [trial] = trialsOf('disks: 4\ntimeouts: {diskProbeS: 8}\n');
  const obs = await runTrial(trial!, { ...(await bootContext()), expectDisks: 5 });
  t.equal(obs.outcome, 'guest-failed');
  t.equal(obs.error?.phase, 'disk-probe');
  t.match(obs.error?.message, /the guest gave up: disks-missing \(saw 4 of 5 disks\)/);
  t.match(obs.error?.consoleTail, /EMUFLOCK failed reason=disks-missing/);
  t.type(obs.phases.guestBootMs, 'number', 'phases before the failure are kept');
  t.equal(obs.phases.diskProbeMs, null);
});

t.test('a phase that overruns its timeout ends as timeout, naming the phase', { timeout: 120_000 }, async (t) => {
  const [trial] = trialsOf('disks: 2\ntimeouts: {guestBootS: 0.3}\n');
  const obs = await runTrial(trial!, await bootContext());
  t.equal(obs.outcome, 'timeout');
  t.equal(obs.error?.phase, 'guest-boot');
  t.match(obs.error?.message, /guest-boot did not finish within 0\.3 s/);
  t.type(obs.phases.qemuInitMs, 'number');
  t.equal(obs.phases.guestBootMs, null);
});

t.test('a QEMU that exits at once is qemu-crashed, with its stderr and command line', { timeout: 60_000 }, async (t) => {
  const [trial] = trialsOf('disks: 2\n');
  const obs = await runTrial(trial!, { ...(await bootContext()), extraQemuArgs: ['-no-such-option'] });
  t.equal(obs.outcome, 'qemu-crashed');
  t.equal(obs.error?.exitCode, 1);
  t.match(obs.error?.stderrTail, /-no-such-option: invalid option/);
  t.match(obs.error?.commandLine, /qemu-system-s390x .* -no-such-option$/);
  t.equal(obs.phases.qemuInitMs, null);
});

t.test('a guest kernel that panics is guest-failed at once, not a timeout', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir();
  const notAnInitramfs = join(dir, 'garbage.img');
  await writeFile(notAnInitramfs, 'this is not a cpio archive\n'.repeat(100));
  const ctx = await bootContext();
  const [trial] = trialsOf('disks: 1\ntimeouts: {guestBootS: 100}\n');
  const started = Date.now();
  const obs = await runTrial(trial!, { ...ctx, assets: { ...ctx.assets, initrd: notAnInitramfs } });
  t.equal(obs.outcome, 'guest-failed');
  t.equal(obs.error?.phase, 'guest-boot');
  t.match(obs.error?.message, /panicked/);
  t.match(obs.error?.consoleTail, /Kernel panic/);
  t.ok(Date.now() - started < 60_000, 'did not wait for the 100 s timeout');
});
