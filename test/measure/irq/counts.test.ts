import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collectIrqCounts, collectIrqDetails } from '../../../harness/measure/irq/counts.js';
import { countFallbacks, FallbackCounter } from '../../../harness/measure/irq/fallback-messages.js';
import { tempDir } from '../../helpers.js';
import { fixture, traceFixture } from '../../fixtures/irq/load.js';

const x86 = { arch: 'x86_64', accel: 'kvm' } as const;
const s390x = { arch: 's390x', accel: 'kvm' } as const;
const stderrOf = (name: string) => readFile(fixture(name), 'utf8');

t.test('x86_64 probe, 4 disks x 2 queues', async (t) => {
  t.same(
    await collectIrqCounts({ ...x86, traceFile: await traceFixture('x86_64-kvm-probe-4x2.trace'), stderr: await stderrOf('x86_64-kvm-probe-4x2.stderr') }),
    { routeCommits: 17, routesAdded: 8, routesReleased: 0, irqfdNotifies: 4, userspaceNotifies: 0, irqfdFallbacks: 0 },
  );
});

t.test('x86_64 split irqchip out of routes: fallbacks from stderr, userspace notifications from the trace', async (t) => {
  const details = await collectIrqDetails({
    ...x86,
    traceFile: await traceFixture('x86_64-kvm-split-17x256.trace.gz'),
    stderr: await stderrOf('x86_64-kvm-split-17x256.stderr'),
  });
  t.same(details.counts, { routeCommits: 8143, routesAdded: 4326, routesReleased: 462, irqfdNotifies: 15, userspaceNotifies: 2, irqfdFallbacks: 2 });
  t.same(details.notes, []);
  t.equal(details.trace?.ioctls.signalMsi, 2, 'each userspace notification is one KVM_SIGNAL_MSI');
});

t.test('a FallbackCounter fed while QEMU ran is used as is', async (t) => {
  const counter = new FallbackCounter();
  counter.write(await stderrOf('x86_64-kvm-split-17x256.stderr'));
  const counts = await collectIrqCounts({ ...x86, traceFile: await traceFixture('x86_64-kvm-idle.trace'), stderr: counter });
  t.same(counts, { routeCommits: 1, routesAdded: 0, routesReleased: 0, irqfdNotifies: 0, userspaceNotifies: 0, irqfdFallbacks: 2 });
  const tally = countFallbacks('');
  t.equal((await collectIrqCounts({ ...x86, traceFile: await traceFixture('x86_64-kvm-idle.trace'), stderr: tally })).irqfdFallbacks, 0);
});

t.test('s390x (constructed logs): adapter routes added are not measurable, the rest is', async (t) => {
  t.same(await collectIrqCounts({ ...s390x, traceFile: await traceFixture('s390x-kvm-4x1.trace'), stderr: await stderrOf('s390x-kvm-4x1.stderr') }), {
    routeCommits: 4,
    routesAdded: null,
    routesReleased: 4,
    irqfdNotifies: 30,
    userspaceNotifies: 0,
    irqfdFallbacks: 0,
  });
  const exhausted = await collectIrqDetails({
    ...s390x,
    traceFile: await traceFixture('s390x-kvm-exhausted-4x1024.trace.gz'),
    stderr: await stderrOf('s390x-kvm-exhausted-4x1024.stderr'),
  });
  t.same(exhausted.counts, { routeCommits: 3, routesAdded: null, routesReleased: 4095, irqfdNotifies: 12, userspaceNotifies: 3, irqfdFallbacks: 1 });
  t.same(exhausted.fallbacks?.byErrno, { '28': 1 });
});

t.test('under TCG nothing is counted: every count null, never 0', async (t) => {
  const details = await collectIrqDetails({ arch: 's390x', accel: 'tcg', traceFile: '/nonexistent', stderr: '' });
  t.same(details.counts, { routeCommits: null, routesAdded: null, routesReleased: null, irqfdNotifies: null, userspaceNotifies: null, irqfdFallbacks: null });
  t.match(details.notes, [/s390x under tcg/]);
  t.equal((await collectIrqCounts({ arch: 'riscv64', accel: 'kvm', traceFile: '/nonexistent', stderr: '' })).routeCommits, null);
});

t.test('no trace log: trace counts null, fallbacks still counted; no stderr: fallbacks null', async (t) => {
  const missing = join(await tempDir('emuflock-irq-'), 'never-written.trace');
  const details = await collectIrqDetails({ ...x86, traceFile: missing, stderr: await stderrOf('x86_64-kvm-split-17x256.stderr') });
  t.same(details.counts, { routeCommits: null, routesAdded: null, routesReleased: null, irqfdNotifies: null, userspaceNotifies: null, irqfdFallbacks: 2 });
  t.match(details.notes, [/no trace log at .*never-written\.trace/]);
  const noStderr = await collectIrqDetails({ ...x86, traceFile: await traceFixture('x86_64-kvm-idle.trace'), stderr: null });
  t.equal(noStderr.counts.irqfdFallbacks, null);
  t.equal(noStderr.counts.routeCommits, 1);
});

// Recorded: the s390x KVM event list given to Debian's qemu-system-s390x on x86 (TCG).
t.test('events the binary lacks leave their counts null, not 0', async (t) => {
  const details = await collectIrqDetails({
    ...s390x,
    traceFile: fixture('s390x-tcg-host-x86_64.trace'),
    stderr: await stderrOf('s390x-tcg-host-x86_64.stderr'),
  });
  t.same(details.counts, { routeCommits: null, routesAdded: null, routesReleased: null, irqfdNotifies: 0, userspaceNotifies: 0, irqfdFallbacks: 0 });
  t.match(details.notes, [/QEMU lacks trace events: kvm_irqchip_commit_routes, kvm_irqchip_release_virq, kvm_vm_ioctl/]);
});

t.test('commits: the commit event counts; the ioctl stands in only when that event is missing', async (t) => {
  const dir = await tempDir('emuflock-irq-');
  const traceFile = join(dir, 'trace');
  await writeFile(traceFile, 'kvm_irqchip_commit_routes \nkvm_vm_ioctl type 0x4008ae6a, arg 0x1\nkvm_vm_ioctl type 0x4008ae6a, arg 0x1\n');
  const both = await collectIrqDetails({ ...x86, traceFile, stderr: '' });
  t.equal(both.counts.routeCommits, 1);
  t.match(both.notes, [/1 routing commits but 2 KVM_SET_GSI_ROUTING ioctls/]);
  const ioctlOnly = await collectIrqDetails({ ...x86, traceFile, stderr: "qemu-system-x86_64: -trace kvm_irqchip_commit_routes: warning: trace event 'kvm_irqchip_commit_routes' does not exist\n" });
  t.equal(ioctlOnly.counts.routeCommits, 2);
});
