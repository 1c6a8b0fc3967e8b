import t from 'tap';
import { resolveVariants } from '../../harness/variants/resolve.js';
import { loadVariantDefs, lookupVariants } from '../../harness/variants/variant-defs.js';
import type { ResolvedVariant } from '../../harness/variants/variant.js';
import { runTrial } from '../../harness/run/trial/trial.js';
import { trialsOf } from '../helpers.js';
import { bootContext, kvmUnusable } from '../boot-helpers.js';
import type { Observation } from '../../harness/record/observation.js';

/**
 * The two route series for QEMU 7.2 on x86_64, built and booted under this host's KVM with the
 * probe guest (each virtqueue its own MSI-X vector):
 *  - virtio-pci-batch-routes: a device's routes are committed once when the guest starts it,
 *    and an unchanged route is not committed again at unmask: 1 + 2*D*Q commits become 1 + D;
 *  - kvm-route-exhaustion-fallback: with kernel-irqchip=on a full table (256 x 16 = 4096 routes
 *    + the irqchip's 38) aborts QEMU 7.2 in kvm_irqchip_commit_routes; patched, the route
 *    allocation fails with ENOSPC and the devices that did not get one fall back to userspace.
 */
const kvm = (await kvmUnusable()) ?? false;

const names = ['upstream', 'virtio-pci-batch-routes', 'kvm-route-exhaustion-fallback'] as const;
let variants: Map<string, ResolvedVariant> | undefined;

async function boot(name: (typeof names)[number], yaml: string): Promise<Observation> {
  variants ??= await resolveVariants(lookupVariants([...names], await loadVariantDefs(), 'test'), 'x86_64', { log: () => {} });
  const [trial] = trialsOf(`arch: x86_64\naccel: kvm\nmemoryMiB: 128\ndisk: {backend: null-co}\n${yaml}`);
  return runTrial(trial!, { ...(await bootContext('x86_64')), variant: variants.get(name)! });
}

t.test('batching: one commit per device instead of two per vector, the same routes and notifications', { timeout: 1_800_000, skip: kvm }, async (t) => {
  const [disks, queues] = [16, 4];
  const before = await boot('upstream', `disks: ${disks}\nqueues: ${queues}\n`);
  const after = await boot('virtio-pci-batch-routes', `disks: ${disks}\nqueues: ${queues}\n`);
  for (const obs of [before, after]) t.equal(obs.outcome, 'ok', `${obs.variant.name}: ${obs.error?.message ?? ''}`);
  t.equal(before.counts.routeCommits, 1 + 2 * disks * queues, 'upstream: 1 + 2*D*Q');
  t.equal(after.counts.routeCommits, 1 + disks, 'batched: 1 + D');
  t.equal(after.counts.routesAdded, before.counts.routesAdded, 'the same routes');
  t.equal(after.counts.irqfdNotifies, disks, 'every read completed through its irqfd');
});

t.test('a full routing table: QEMU 7.2 aborts; with the fallback series the guest completes and the fallbacks are counted', { timeout: 600_000, skip: kvm }, async (t) => {
  const full = 'disks: 256\nqueues: 16\nirqchip: on\n';
  const before = await boot('upstream', full);
  t.equal(before.outcome, 'qemu-crashed');
  t.match(before.error?.stderrTail, /kvm_irqchip_commit_routes: Assertion `ret == 0' failed/);
  t.equal(before.error?.signal, 'SIGABRT');
  const after = await boot('kvm-route-exhaustion-fallback', full);
  t.equal(after.outcome, 'ok', after.error?.message ?? '');
  t.equal(after.guest.disksSeen, 256, 'every disk read');
  t.ok(after.counts.irqfdFallbacks! > 0, `${after.counts.irqfdFallbacks} devices fell back to userspace`);
  t.equal(after.counts.userspaceNotifies, after.counts.irqfdFallbacks, 'each fallen-back disk completed its read in userspace');
  t.equal(after.counts.irqfdNotifies! + after.counts.userspaceNotifies!, 256, 'every read notified once, one way or the other');
});
