import t from 'tap';
import { readFile } from 'node:fs/promises';
import { countFallbacks, FallbackCounter } from '../../../harness/measure/irq/fallback-messages.js';
import { fixture } from '../../fixtures/irq/load.js';

const none = { 'virtio-blk': 0, 'virtio-scsi': 0, 'vhost-net': 0, ioeventfd: 0 };

// Recorded: Debian's QEMU 7.2, -M pc,kernel-irqchip=split, 17 virtio-blk-pci disks x 256 queues.
t.test('two virtio-blk disks out of routes: four lines, two fallbacks', async (t) => {
  const stderr = await readFile(fixture('x86_64-kvm-split-17x256.stderr'), 'utf8');
  t.equal(stderr.split('\n').filter((l) => l.length > 0).length, 5, 'a CPUID warning and two pairs');
  t.same(countFallbacks(stderr), {
    fallbacks: 2,
    byDevice: { ...none, 'virtio-blk': 2 },
    byErrno: { '28': 2 },
    unclosed: 0,
    missingTraceEvents: [],
  });
});

t.test('an abort on a full table and a SIGTERM are not fallbacks', async (t) => {
  for (const name of ['x86_64-kvm-abort-16x256.stderr', 'x86_64-kvm-probe-4x2-hold.stderr', 'x86_64-kvm-probe-4x2-timestamps.stderr']) {
    t.equal(countFallbacks(await readFile(fixture(name), 'utf8')).fallbacks, 0, name);
  }
});

// Recorded: Debian's qemu-system-s390x on x86 has no kvm_* events and says so.
t.test("QEMU's warnings for trace events it lacks are collected", async (t) => {
  const tally = countFallbacks(await readFile(fixture('s390x-tcg-host-x86_64.stderr'), 'utf8'));
  t.same(tally.missingTraceEvents, ['kvm_irqchip_commit_routes', 'kvm_irqchip_release_virq', 'kvm_vm_ioctl']);
  t.equal(tally.fallbacks, 0);
});

// The texts below are QEMU 7.2's format strings (hw/scsi/virtio-scsi-dataplane.c,
// hw/net/vhost_net.c, hw/net/virtio-net.c, hw/virtio/virtio-bus.c, hw/block/dataplane/virtio-blk.c)
// filled in as error_report and fprintf print them.
t.test('each device kind: one fallback per device start, attributed by its first line', async (t) => {
  const stderr = [
    '2026-11-26T08:45:10.079684Z qemu-system-x86_64: virtio-scsi: Failed to set guest notifiers (-28), ensure -accel kvm is set.',
    '2026-11-26T08:45:10.079700Z qemu-system-x86_64: virtio_bus_start_ioeventfd: failed. Fallback to userspace (slower).',
    'qemu-system-x86_64: Error binding guest notifier: 28',
    'qemu-system-x86_64: unable to start vhost net: 28: falling back on userspace virtio',
    // a host notifier that cannot be assigned: the generic line, then the device's (fprintf, no prefix)
    'qemu-system-x86_64: virtio_bus_set_host_notifier: unable to assign ioeventfd: -24',
    'virtio-blk failed to set host notifier (-24)',
    'qemu-system-x86_64: virtio_bus_start_ioeventfd: failed. Fallback to userspace (slower).',
    // another virtio device whose ioeventfd start failed, with no line of its own
    'qemu-system-x86_64: virtio_bus_start_ioeventfd: failed. Fallback to userspace (slower).',
    'qemu-system-x86_64: virtio-scsi: Failed to set host notifier (-24)',
    'qemu-system-x86_64: virtio_bus_start_ioeventfd: failed. Fallback to userspace (slower).',
    '',
  ].join('\n');
  t.same(countFallbacks(stderr), {
    fallbacks: 5,
    byDevice: { 'virtio-blk': 1, 'virtio-scsi': 2, 'vhost-net': 1, ioeventfd: 1 },
    byErrno: { '28': 2, '24': 2 },
    unclosed: 0,
    missingTraceEvents: [],
  });
});

t.test('a first line with no closing line is shown, never counted', async (t) => {
  const tally = countFallbacks(
    [
      'qemu-system-x86_64: virtio-blk failed to set guest notifier (-28), ensure -accel kvm is set.',
      'qemu-system-x86_64: Error binding guest notifier: 28',
      'qemu-system-x86_64: unable to start vhost net: 28: falling back on userspace virtio',
      'qemu-system-x86_64: virtio-blk failed to set guest notifier (-28), ensure -accel kvm is set.',
    ].join('\n'),
  );
  t.same(tally, { fallbacks: 1, byDevice: { ...none, 'vhost-net': 1 }, byErrno: { '28': 1 }, unclosed: 2, missingTraceEvents: [] });
});

t.test('stderr fed in chunks as it arrives, cut anywhere: the same tally; end() twice changes nothing', async (t) => {
  const stderr = (await readFile(fixture('x86_64-kvm-split-17x256.stderr'), 'utf8')).repeat(100);
  const whole = countFallbacks(stderr);
  t.equal(whole.fallbacks, 200);
  for (const size of [1, 5, 97]) {
    const counter = new FallbackCounter();
    for (let i = 0; i < stderr.length; i += size) counter.write(stderr.slice(i, i + size));
    t.same(counter.end(), whole, `chunks of ${size}`);
    t.same(counter.end(), whole);
  }
});

t.test('nothing else on stderr counts', async (t) => {
  t.same(countFallbacks(''), { fallbacks: 0, byDevice: none, byErrno: {}, unclosed: 0, missingTraceEvents: [] });
  t.equal(countFallbacks('Fallback to userspace (slower).\nfalling back on userspace virtio\n').fallbacks, 0);
});
