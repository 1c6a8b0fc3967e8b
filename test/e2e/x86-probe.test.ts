import t from 'tap';
import { runTrial } from '../../harness/run/trial/trial.js';
import { trialsOf } from '../helpers.js';
import { bootContext, kvmUnusable } from '../boot-helpers.js';

// Real guests: the bare-metal x86 probe (harness/guest/x86-probe/) under Debian's
// qemu-system-x86_64, booted by qboot, with virtio-blk-pci disks on pci-bridges.

const kvmMissing = await kvmUnusable();

const x86 = (yaml: string) => trialsOf(`arch: x86_64\nmemoryMiB: 128\n${yaml}`)[0]!;

for (const { disks, queues } of [
  { disks: 8, queues: 1 },
  { disks: 64, queues: 4 },
]) {
  t.test(`KVM, ${disks} disks x ${queues} queues on bridges: the probe reads every disk and exits with its success status`, { skip: kvmMissing, timeout: 600_000 }, async (t) => {
    const trial = x86(`accel: kvm\ndisks: ${disks}\nqueues: ${queues}\n`);
    const obs = await runTrial(trial, await bootContext('x86_64'));
    t.equal(obs.outcome, 'ok', obs.error ? `${obs.error.message}\n${obs.error.stderrTail ?? ''}\n${obs.error.consoleTail ?? ''}` : '');
    t.equal(obs.guest.disksSeen, disks);
    const p = obs.phases;
    for (const [name, v] of Object.entries(p)) t.ok(typeof v === 'number' && v > 0, `${name} measured (${v})`);
    t.ok(obs.guest.uptimeAtReadyS! >= obs.guest.uptimeAtInitS!, 'guest uptime grows from init to ready');
    // The guest's TSC clock agrees with the host's view of the disk probe (generous: a busy host).
    const probeS = p.diskProbeMs! / 1000;
    const guestS = obs.guest.uptimeAtReadyS! - obs.guest.uptimeAtInitS!;
    t.ok(guestS <= probeS + 0.5 && guestS >= probeS * 0.5 - 0.5, `guest ${guestS.toFixed(2)} s vs host ${probeS.toFixed(2)} s from init to ready`);
    t.match(obs.guestAssets, { kernelPackage: 'emuflock-x86-probe', kernelVersion: /^x86-probe-[0-9a-f]{16}$/, busyboxVersion: 'none' });
    t.match(obs.variant, { name: 'system', qemuVersion: /^\d+\.\d+/ });
    t.equal(obs.error, undefined);
  });
}

t.test('KVM with a split irqchip and iothreads: the same probe completes', { skip: kvmMissing, timeout: 300_000 }, async (t) => {
  const trial = x86('accel: kvm\nirqchip: split\ndisks: 4\nqueues: 2\niothreads: 2\ndisk: {backend: null-co}\n');
  const obs = await runTrial(trial, await bootContext('x86_64'));
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  t.equal(obs.guest.disksSeen, 4);
});

t.test('a guest that finds fewer disks than it expects says so and fails the trial', { skip: kvmMissing, timeout: 300_000 }, async (t) => {
  const trial = x86('accel: kvm\ndisks: 8\n');
  const obs = await runTrial(trial, { ...(await bootContext('x86_64')), expectDisks: 9 });
  t.equal(obs.outcome, 'guest-failed');
  t.match(obs.error?.message, /the guest gave up: disks-missing \(saw 8 of 9 disks\)/);
  t.match(obs.error?.consoleTail, /EMUFLOCK failed reason=disks-missing disks=8 expected=9/);
  t.equal(obs.phases.diskProbeMs, null);
});

t.test('TCG boots the same probe', { timeout: 300_000 }, async (t) => {
  const trial = x86('accel: tcg\ndisks: 8\nqueues: 2\ndisk: {backend: null-co}\n');
  const obs = await runTrial(trial, await bootContext('x86_64'));
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  t.equal(obs.guest.disksSeen, 8);
  t.equal(obs.params.accel, 'tcg');
});
