import t from 'tap';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { countTraceFile, countTraceText, TraceCounter, type TraceTally } from '../../../harness/measure/irq/trace-counts.js';
import { EmuflockError } from '../../../harness/core/errors.js';
import { tempDir } from '../../helpers.js';
import { traceFixture } from '../../fixtures/irq/load.js';

/** The counted part of a tally, for exact comparisons. */
function counted(tally: TraceTally) {
  const { lines: _l, otherLines: _o, ...rest } = tally;
  return rest;
}

const noIoctls = { setGsiRouting: 0, irqfd: 0, signalMsi: 0, irqLineStatus: 0, other: 0 };

// Recorded with Debian's QEMU 7.2 under KVM (test/fixtures/irq/README.md, record-x86_64.sh).
t.test('x86_64, paused, no devices: the in-kernel irqchip start-up commit only', async (t) => {
  const tally = await countTraceFile(await traceFixture('x86_64-kvm-idle.trace'));
  t.equal(tally.lines, 65);
  t.equal(tally.commits, 1);
  t.equal(tally.ioctls.setGsiRouting, 1);
  t.equal(tally.msiRoutesAdded, 0);
  t.equal(tally.routesReleased, 0);
  t.equal(tally.irqfdNotifies + tally.notifies, 0);
  t.equal(tally.malformedLines, 0);
});

t.test('x86_64 probe guest, 4 disks x 2 queues, leaving through isa-debug-exit', async (t) => {
  const tally = await countTraceFile(await traceFixture('x86_64-kvm-probe-4x2.trace'));
  t.equal(tally.lines, 668);
  // 1 at start-up, then per queue vector one commit when its route is added and one when the
  // guest unmasks it with a new message: 1 + 2 x 8.
  t.match(counted(tally), {
    malformedLines: 0,
    commits: 17,
    msiRoutesAdded: 8,
    routesReleased: 0,
    irqfdNotifies: 4,
    notifies: 0,
    adapterInterrupts: 0,
    ioctls: { setGsiRouting: 17, irqfd: 8, signalMsi: 0 },
  });
});

t.test('x86_64 probe guest held and stopped with SIGTERM: devices torn down, routes released', async (t) => {
  const tally = await countTraceFile(await traceFixture('x86_64-kvm-probe-4x2-hold.trace'));
  t.equal(tally.lines, 791);
  t.match(counted(tally), {
    commits: 17,
    msiRoutesAdded: 8,
    routesReleased: 8,
    irqfdNotifies: 4,
    notifies: 0,
    // 8 binds at start, 8 unbinds at stop: the same request number, told apart by nothing in the trace.
    ioctls: { setGsiRouting: 17, irqfd: 16 },
  });
});

t.test('-msg timestamp=on prefixes (TID@SECONDS.USEC:) count the same', async (t) => {
  const tally = await countTraceFile(await traceFixture('x86_64-kvm-probe-4x2-timestamps.trace'));
  t.equal(tally.lines, 771);
  t.equal(tally.otherLines, 771 - 17 - 8 - 4 - tallyIoctls(tally));
  t.match(counted(tally), { malformedLines: 0, commits: 17, msiRoutesAdded: 8, irqfdNotifies: 4, ioctls: { setGsiRouting: 17, irqfd: 8 } });
});

function tallyIoctls(tally: TraceTally): number {
  const i = tally.ioctls;
  return i.setGsiRouting + i.irqfd + i.signalMsi + i.irqLineStatus + i.other;
}

t.test('split irqchip, 17 disks x 256 queues: routes run out, two disks fall back', async (t) => {
  const tally = await countTraceFile(await traceFixture('x86_64-kvm-split-17x256.trace.gz'));
  t.equal(tally.lines, 28840);
  // 24 MSI routes for the userspace IOAPIC + 15 x 256 + 2 x 231 that were undone.
  t.match(counted(tally), {
    malformedLines: 0,
    commits: 8143,
    msiRoutesAdded: 4326,
    routesReleased: 462,
    irqfdNotifies: 15,
    notifies: 2,
    ioctls: { setGsiRouting: 8143, irqfd: 3840, signalMsi: 2 },
  });
});

t.test('in-kernel irqchip, 16 x 256: the commit that aborts QEMU is in the log with its ioctl', async (t) => {
  const tally = await countTraceFile(await traceFixture('x86_64-kvm-abort-16x256.trace.gz'));
  t.equal(tally.lines, 28215);
  // 38 fixed routes + 4059 MSI routes = 4097 > 4096: the last commit fails its assertion.
  t.match(counted(tally), { commits: 7900, msiRoutesAdded: 4059, routesReleased: 0, irqfdNotifies: 15, ioctls: { setGsiRouting: 7900, irqfd: 3840 } });
});

// Constructed in QEMU 7.2's format (construct-s390x.mjs): s390x KVM does not run here.
t.test('s390x, 4 disks x 1 queue: one commit per device, irqfds bound and unbound', async (t) => {
  const tally = await countTraceFile(await traceFixture('s390x-kvm-4x1.trace'));
  t.equal(tally.lines, 63); // 5 start-up ioctls, 4 starts of 4 lines, 30 completions, 4 stops of 3
  t.same(counted(tally), {
    malformedLines: 0,
    commits: 4,
    msiRoutesAdded: 0,
    routesReleased: 4,
    irqfdNotifies: 30,
    notifies: 0,
    adapterInterrupts: 0,
    ioctls: { setGsiRouting: 4, irqfd: 8, signalMsi: 0, irqLineStatus: 0, other: 5 + 4 + 4 },
  });
});

t.test('s390x, 4 disks x 1024 queues: the 4th disk runs out of GSIs and injects from userspace', async (t) => {
  const tally = await countTraceFile(await traceFixture('s390x-kvm-exhausted-4x1024.trace.gz'));
  t.equal(tally.lines, 16414);
  t.same(counted(tally), {
    malformedLines: 0,
    commits: 3,
    msiRoutesAdded: 0,
    routesReleased: 1023 + 3 * 1024,
    irqfdNotifies: 12,
    notifies: 5,
    adapterInterrupts: 3,
    ioctls: { setGsiRouting: 3, irqfd: 2 * 3 * 1024, signalMsi: 0, irqLineStatus: 0, other: 5 + 2 * 3 * 1024 },
  });
});

t.test('chunks may split lines anywhere: the tally is the same', async (t) => {
  const text = await readFile(await traceFixture('x86_64-kvm-probe-4x2-hold.trace'), 'utf8');
  const whole = countTraceText(text);
  for (const size of [1, 7, 64, 4093]) {
    const counter = new TraceCounter();
    for (let i = 0; i < text.length; i += size) counter.write(text.slice(i, i + size));
    t.same(counter.end(), whole, `chunks of ${size}`);
  }
});

t.test('exactly which lines count', async (t) => {
  const tally = countTraceText(
    [
      'kvm_irqchip_commit_routes ',
      'kvm_irqchip_commit_routes', // no space after the name: a line cut short, not counted
      'kvm_irqchip_update_msi_route Updating MSI route virq=24', // an update is not an add
      'kvm_irqchip_add_msi_route dev N/A vector 0 virq 0',
      'virtio_notify_irqfd vdev 0x1 vq 0x2',
      'virtio_notify vdev 0x1 vq 0x2',
      'virtio_queue_notify vdev 0x1 n 0 vq 0x2',
      'kvm_vm_ioctl type 0x4008ae6a, arg 0x55d0c0ffee00',
      'kvm_vm_ioctl type 0x4020aea5, arg 0x7ffc0',
      'kvm_vm_ioctl type 0xc008ae67, arg 0x7ffc0',
      'kvm_vm_ioctl arg 0x1', // malformed: no type
      '12@1700000000.000001:kvm_irqchip_release_virq virq 3',
      '12@1700000000.1:kvm_irqchip_release_virq virq 3', // not QEMU's %06zu timestamp
      '1234 bytes of something else',
      'css_adapter_interrupt CSS: adapter I/O interrupt (isc 0x3)',
      '',
    ].join('\n') + 'virtio_notify_irqfd vdev 0x1 vq 0x2', // last line without newline: counted
  );
  t.same(tally, {
    lines: 16,
    otherLines: 5,
    malformedLines: 1,
    commits: 1,
    msiRoutesAdded: 1,
    routesReleased: 1,
    irqfdNotifies: 2,
    notifies: 1,
    adapterInterrupts: 1,
    ioctls: { setGsiRouting: 1, irqfd: 0, signalMsi: 1, irqLineStatus: 1, other: 0 },
  });
  t.same(countTraceText('').ioctls, noIoctls);
  t.equal(countTraceText('virtio_notify').notifies, 0, 'a name cut from virtio_notify_irqfd is not virtio_notify');
});

t.test('a missing or unreadable trace log is an input error naming the file', async (t) => {
  await t.rejects(countTraceFile('/nonexistent/qemu-trace.log'), { name: 'EmuflockError', message: /\/nonexistent\/qemu-trace\.log: ENOENT/ });
  await t.rejects(countTraceFile(await tempDir()), EmuflockError);
});

t.test('a very long line is cut, not held whole', async (t) => {
  const tally = countTraceText(`virtio_notify_irqfd ${'x'.repeat(1_000_000)}\nkvm_irqchip_commit_routes \n`);
  t.equal(tally.irqfdNotifies, 1);
  t.equal(tally.commits, 1);
});

t.test('10^6 lines counted exactly, in bounded memory', async (t) => {
  const file = join(await tempDir('emuflock-irq-'), 'big.trace');
  const kinds = [
    'kvm_vm_ioctl type 0xc008ae67, arg 0x7f4cb2e7a030',
    '4643@1795682680.950115:virtio_notify_irqfd vdev 0x56007b9d4150 vq 0x7fb07acb7010',
    'kvm_irqchip_add_msi_route dev virtio-blk-pci vector 1 virq 2',
    'kvm_irqchip_commit_routes ',
    'kvm_vm_ioctl type 0x4008ae6a, arg 0x56007afa4cc0',
    'virtio_notify vdev 0x56007b9d4150 vq 0x7fb07acb7010',
    'kvm_irqchip_release_virq virq 4081',
    'kvm_vm_ioctl type 0x4020ae76, arg 0x7fb07b67a030',
  ];
  const lines = 1_000_000;
  const out = createWriteStream(file);
  let block = '';
  for (let i = 0; i < lines; i++) {
    block += kinds[i % kinds.length] + '\n';
    if (block.length > 1 << 16) {
      if (!out.write(block)) await once(out, 'drain');
      block = '';
    }
  }
  out.end(block);
  await once(out, 'finish');
  const size = (await stat(file)).size;

  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const tally = await countTraceFile(file);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  const each = lines / kinds.length;
  t.same(tally, {
    lines,
    otherLines: 0,
    malformedLines: 0,
    commits: each,
    msiRoutesAdded: each,
    routesReleased: each,
    irqfdNotifies: each,
    notifies: each,
    adapterInterrupts: 0,
    ioctls: { setGsiRouting: each, irqfd: each, signalMsi: 0, irqLineStatus: each, other: 0 },
  });
  const grownMiB = (peak - before) / 2 ** 20;
  t.ok(size > 40 * 2 ** 20, `the log is ${(size / 2 ** 20).toFixed(0)} MiB`);
  t.ok(grownMiB < 16, `resident memory grew ${grownMiB.toFixed(1)} MiB while counting it`);
});
