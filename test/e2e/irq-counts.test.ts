import t from 'tap';
import { runTrial } from '../../harness/run/trial/trial.js';
import { trialsOf } from '../helpers.js';
import { bootContext, kvmUnusable } from '../boot-helpers.js';

/**
 * Routing counts of real KVM boots (Debian's qemu-system-x86_64, the probe guest) against the
 * numbers the topology gives. QEMU 7.2's x86 virtio-pci, for D devices of Q queues, each queue
 * with its own MSI-X vector (the config vector gets no route):
 *   routesAdded   = D*Q, plus the 24 MSI routes of QEMU's own IOAPIC with kernel-irqchip=split
 *   routeCommits  = 1 (the irqchip's initial table) + 2*D*Q: one when a vector's route is
 *                   added, one more when the guest unmasks the vector
 *   irqfdNotifies = D: the probe reads one sector per disk, completed through the queue's irqfd
 *   routesReleased = 0: the probe leaves through isa-debug-exit without stopping its devices
 */
const skip = (await kvmUnusable()) ?? false;

for (const [irqchip, fixed] of [['on', 0], ['split', 24]] as const) {
  for (const [disks, queues] of [[8, 2], [40, 3]] as const) {
    t.test(`${disks} disks x ${queues} queues, kernel-irqchip=${irqchip}: counts as the topology says`, { timeout: 120_000, skip }, async (t) => {
      const [trial] = trialsOf(`arch: x86_64\naccel: kvm\nirqchip: ${irqchip}\ndisks: ${disks}\nqueues: ${queues}\nmemoryMiB: 128\ndisk: {backend: null-co}\n`);
      const obs = await runTrial(trial!, await bootContext('x86_64'));
      t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
      t.same(obs.counts, {
        routeCommits: 1 + 2 * disks * queues,
        routesAdded: fixed + disks * queues,
        routesReleased: 0,
        irqfdNotifies: disks,
        userspaceNotifies: 0,
        irqfdFallbacks: 0,
      });
      // 4096 on current kernels (KVM_MAX_IRQ_ROUTES), 1024 on old ones: read, not assumed.
      t.ok([1024, 4096].includes(obs.host.limits.kvmIrqRoutes!), `KVM_CAP_IRQ_ROUTING read from /dev/kvm: ${obs.host.limits.kvmIrqRoutes}`);
    });
  }
}

t.test('under TCG nothing is counted: every count is null, never 0', { timeout: 120_000 }, async (t) => {
  const [trial] = trialsOf('arch: x86_64\naccel: tcg\ndisks: 4\nmemoryMiB: 128\ndisk: {backend: null-co}\n');
  const obs = await runTrial(trial!, await bootContext('x86_64'));
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  t.ok(Object.values(obs.counts).every((v) => v === null), JSON.stringify(obs.counts));
});
