import t from 'tap';
import { runTrial } from '../../harness/run/trial/trial.js';
import { trialsOf } from '../helpers.js';
import { bootContext } from '../boot-helpers.js';

// Real guests: Debian's s390x kernel under Debian's qemu-system-s390x (TCG), real disk images.
for (const disks of [8, 64]) {
  t.test(`${disks} disks: the guest sees every disk and every phase is measured, in order`, { timeout: 180_000 }, async (t) => {
    const [trial] = trialsOf(`disks: ${disks}\n`);
    const obs = await runTrial(trial!, await bootContext());
    t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
    t.equal(obs.guest.disksSeen, disks);
    const p = obs.phases;
    for (const [name, v] of Object.entries(p)) t.ok(typeof v === 'number' && v > 0, `${name} measured (${v})`);
    const sum = p.qemuInitMs! + p.guestBootMs! + p.diskProbeMs!;
    t.ok(Math.abs(sum - p.totalMs!) < 1, 'init + boot + probe = total (spawn to ready)');
    t.ok(obs.guest.uptimeAtReadyS! >= obs.guest.uptimeAtInitS!, 'guest uptime grows from init to ready');
    t.ok(obs.resources.rssPeakKiB! > 10_000, 'QEMU RSS was sampled');
    t.ok(obs.resources.fdsPeak! >= disks, 'at least one fd per disk');
    t.match(obs.variant, { name: 'system', qemuVersion: /^\d+\.\d+/ });
    t.equal(obs.variant.binarySha256.length, 64);
    t.equal(obs.error, undefined);
  });
}

t.test('legacy -drive syntax and null-co disks boot too', { timeout: 180_000 }, async (t) => {
  const [trial] = trialsOf('disks: 16\ndrives: legacy\ndisk: {backend: null-co}\n');
  const obs = await runTrial(trial!, await bootContext());
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  t.equal(obs.guest.disksSeen, 16);
});

t.test('until: qemu-init ends the trial once QEMU answers QMP: the guest never runs, QEMU quits cleanly', { timeout: 120_000 }, async (t) => {
  const [trial] = trialsOf('disks: 64\nuntil: qemu-init\n');
  const obs = await runTrial(trial!, await bootContext());
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  const p = obs.phases;
  t.ok(p.qemuInitMs! > 0, `QEMU init measured (${p.qemuInitMs} ms)`);
  t.equal(p.totalMs, p.qemuInitMs, 'total is spawn to the end the case asks for');
  t.same([p.guestBootMs, p.diskProbeMs, obs.guest.uptimeAtInitS, obs.guest.disksSeen], [null, null, null, null], 'no guest phase: the guest never ran');
  t.ok(p.shutdownMs! >= 0, `QEMU quit when told to (${p.shutdownMs} ms)`);
  t.ok(obs.resources.fdsPeak! >= 64, `every disk was open at init (${obs.resources.fdsPeak} fds)`);
  t.equal(obs.params.until, 'qemu-init', 'the journal says where the trial ended');
});
