import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { collectIrqDetails } from '../../../harness/measure/irq/counts.js';
import { irqCountsMeasurable, irqTraceArgs, irqTraceEvents, missingTraceEvent } from '../../../harness/measure/irq/trace-args.js';
import { cacheRoot } from '../../../harness/core/paths.js';
import { tempDir } from '../../helpers.js';
import { kvmUnusable } from '../../boot-helpers.js';

t.test('the options per arch and accel', async (t) => {
  t.same(irqTraceArgs({ arch: 'x86_64', accel: 'kvm', traceFile: '/run/t/irq.trace' }), [
    '-trace', 'kvm_irqchip_commit_routes',
    '-trace', 'kvm_irqchip_add_msi_route',
    '-trace', 'kvm_irqchip_release_virq',
    '-trace', 'kvm_vm_ioctl',
    '-trace', 'virtio_notify_irqfd',
    '-trace', 'virtio_notify_irqfd_deferred_fn',
    '-trace', 'virtio_notify',
    '-D', '/run/t/irq.trace',
  ]);
  t.same(irqTraceArgs({ arch: 's390x', accel: 'kvm', traceFile: 'irq.trace', timestamps: true }), [
    '-trace', 'kvm_irqchip_commit_routes',
    '-trace', 'kvm_irqchip_release_virq',
    '-trace', 'kvm_vm_ioctl',
    '-trace', 'virtio_notify_irqfd',
    '-trace', 'virtio_notify_irqfd_deferred_fn',
    '-trace', 'virtio_notify',
    '-trace', 'css_adapter_interrupt',
    '-D', 'irq.trace',
    '-msg', 'timestamp=on',
  ]);
  t.same(irqTraceArgs({ arch: 's390x', accel: 'tcg', traceFile: 'irq.trace' }), [], 'TCG: nothing to count');
  t.same(irqTraceArgs({ arch: 'x86_64', accel: 'tcg', traceFile: 'irq.trace' }), []);
  t.equal(irqCountsMeasurable({ arch: 'x86_64', accel: 'kvm' }), true);
  t.equal(irqCountsMeasurable({ arch: 'x86_64', accel: 'tcg' }), false);
  t.throws(() => irqTraceArgs({ arch: 'x86_64', accel: 'kvm', traceFile: '' }), /traceFile is empty/);
});

t.test("QEMU's warning for an event it lacks", async (t) => {
  t.equal(missingTraceEvent("qemu-system-s390x: -trace kvm_vm_ioctl: warning: trace event 'kvm_vm_ioctl' does not exist"), 'kvm_vm_ioctl');
  t.equal(missingTraceEvent('qemu-system-s390x: terminating on signal 15'), undefined);
});

/** A Debian QEMU source, unpacked by `emuflock build` (harness/variants): present on a machine that built it. */
async function qemuSourceTree(release: string): Promise<string | undefined> {
  const sources = join(cacheRoot(), 'sources');
  const names = await readdir(sources).catch(() => [] as string[]);
  const name = names.find((n) => n.startsWith(`debian-qemu-${release}`));
  return name ? join(sources, name, 'tree') : undefined;
}

async function declaredEvents(tree: string): Promise<Set<string>> {
  const declared = new Set<string>();
  for (const file of ['accel/kvm/trace-events', 'hw/virtio/trace-events', 'hw/s390x/trace-events']) {
    for (const line of (await readFile(join(tree, file), 'utf8')).split('\n')) {
      const m = /^([a-z0-9_]+)\(/.exec(line);
      if (m) declared.add(m[1]!);
    }
  }
  return declared;
}

// The irqfd notification's event was renamed in 8.2: each release declares one of the two.
const renamed = { before: 'virtio_notify_irqfd', after: 'virtio_notify_irqfd_deferred_fn' };
const tree72 = await qemuSourceTree('7.2');
const tree102 = await qemuSourceTree('10.2');

t.test("every event is declared in QEMU 7.2's trace-events files, but the irqfd event's later name", { skip: tree72 ? false : 'no QEMU 7.2 source in the cache (emuflock build unpacks it)' }, async (t) => {
  const declared = await declaredEvents(tree72!);
  for (const arch of ['x86_64', 's390x']) {
    for (const event of irqTraceEvents({ arch, accel: 'kvm' })) t.equal(declared.has(event), event !== renamed.after, `${arch}: ${event}`);
  }
});

t.test("QEMU 10.2 declares the irqfd event's later name, and every other event", { skip: tree102 ? false : 'no QEMU 10.2 source in the cache' }, async (t) => {
  const declared = await declaredEvents(tree102!);
  for (const arch of ['x86_64', 's390x']) {
    for (const event of irqTraceEvents({ arch, accel: 'kvm' })) t.equal(declared.has(event), event !== renamed.before, `${arch}: ${event}`);
  }
});

/** The events a binary knows (`-trace help`), or undefined when it is not installed. */
async function traceEventsOf(binary: string): Promise<Set<string> | undefined> {
  const r = await execa(binary, ['-trace', 'help'], { reject: false });
  return r.failed ? undefined : new Set(String(r.stdout).split('\n'));
}
const x86Events = await traceEventsOf('qemu-system-x86_64');
const s390xEvents = await traceEventsOf('qemu-system-s390x');

t.test("Debian's qemu-system-x86_64 (7.2) knows every x86_64 event but the irqfd event's later name", { skip: x86Events ? false : 'qemu-system-x86_64 is not installed' }, async (t) => {
  for (const event of irqTraceEvents({ arch: 'x86_64', accel: 'kvm' })) t.equal(x86Events!.has(event), event !== renamed.after, event);
});

t.test("Debian's qemu-system-s390x on x86 knows all but the kvm_* ones", { skip: s390xEvents && process.arch === 'x64' ? false : 'qemu-system-s390x on x86 is not here' }, async (t) => {
  const s390x = s390xEvents!;
  for (const event of irqTraceEvents({ arch: 's390x', accel: 'kvm' })) {
    t.equal(s390x.has(event), !event.startsWith('kvm_') && event !== renamed.after, event);
  }
});

const kvmSkip = !x86Events ? 'qemu-system-x86_64 is not installed' : ((await kvmUnusable()) ?? false);

t.test('a real QEMU under KVM writes the log the counter reads (paused, then quit over QMP)', { skip: kvmSkip }, async (t) => {
  const traceFile = join(await tempDir('emuflock-irq-'), 'irq.trace');
  const args = [
    '-accel', 'kvm', '-M', 'pc', '-cpu', 'qemu64,-cx16', '-nodefaults', '-no-user-config', '-display', 'none', '-S',
    '-qmp', 'stdio',
    ...irqTraceArgs({ arch: 'x86_64', accel: 'kvm', traceFile }),
  ];
  const qemu = await execa('qemu-system-x86_64', args, {
    input: '{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n',
    reject: false,
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  t.equal(qemu.exitCode, 0, String(qemu.stderr));
  const details = await collectIrqDetails({ arch: 'x86_64', accel: 'kvm', traceFile, stderr: String(qemu.stderr) });
  // The in-kernel irqchip's 38 PIC/IOAPIC routes, committed once; nothing else before a guest runs.
  t.same(details.counts, { routeCommits: 1, routesAdded: 0, routesReleased: 0, irqfdNotifies: 0, userspaceNotifies: 0, irqfdFallbacks: 0 });
  t.same(details.notes, []);
  t.equal(details.trace?.malformedLines, 0);
  t.ok((details.trace?.ioctls.other ?? 0) > 10, 'the other VM ioctls of start-up are there, not counted');
});
