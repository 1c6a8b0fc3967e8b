/**
 * Which QEMU trace events a trial enables to count irq routes and notifications, and the
 * options that enable them.
 *
 * QEMU's trace backend is `log` both in Debian's binaries and in a build with default configure
 * (meson_options.txt: trace_backends = ['log']): `-trace NAME` enables an event and `-D FILE`
 * sends the lines to FILE instead of stderr. A line is `NAME ARGS`, or with `-msg timestamp=on`
 * `TID@SECONDS.USEC:NAME ARGS` (scripts/tracetool/backend/log.py); each line is flushed as it
 * is written (util/log.c, qemu_log_unlock), so a killed QEMU leaves every line but the last whole.
 *
 * Events are named one by one rather than by a glob such as `kvm_irqchip_*`: a name the binary
 * lacks makes QEMU warn "trace event 'NAME' does not exist" on stderr (and go on), which is how
 * a count that was not measured is told from a count of zero; a glob that matches nothing is
 * silent. Every name below is in QEMU 7.2's trace-events files (accel/kvm, hw/virtio,
 * hw/s390x) and was checked against `qemu-system-x86_64 -trace help` of Debian's 7.2 binary.
 */
import type { Accel } from '../../record/params.js';

export interface IrqTraceTarget {
  arch: string;
  accel: Accel;
}

/** One `KVM_SET_GSI_ROUTING` per commit (accel/kvm/kvm-all.c, kvm_irqchip_commit_routes). */
export const commitEvent = 'kvm_irqchip_commit_routes';
/** A dynamic MSI route, e.g. one per virtio-pci vector in use (kvm_irqchip_add_msi_route). */
export const msiRouteEvent = 'kvm_irqchip_add_msi_route';
/** A route taken out of QEMU's table (kvm_irqchip_release_virq); it leaves the kernel's at the next commit. */
export const releaseEvent = 'kvm_irqchip_release_virq';
/** Every VM ioctl with its request number: KVM_IRQFD, KVM_SIGNAL_MSI, KVM_SET_GSI_ROUTING. */
export const vmIoctlEvent = 'kvm_vm_ioctl';
/** A virtqueue notification sent through the guest notifier eventfd (the irqfd path), up to QEMU 8.1. */
export const irqfdNotifyEvent = 'virtio_notify_irqfd';
/**
 * The same from QEMU 8.2 on, where virtio_notify_irqfd() defers the eventfd write (defer_call)
 * and the event moved into the deferred function (10.2.2's hw/virtio/trace-events). A binary has
 * one of the two; the other is warned about and left out, and the count is whichever is there.
 */
export const irqfdNotifyDeferredEvent = 'virtio_notify_irqfd_deferred_fn';
/** A virtqueue notification delivered by QEMU's device model (the userspace path). */
export const notifyEvent = 'virtio_notify';
/** s390x: an adapter (thin) interrupt QEMU injects itself (hw/s390x/css.c). */
export const adapterInterruptEvent = 'css_adapter_interrupt';

/**
 * x86_64: MSI routes are traced one by one; the 38 fixed PIC/IOAPIC routes QEMU installs at start
 * (kvm_pc_setup_irq_routing) are not, but show as the one commit before any device starts.
 * s390x: adapter routes (kvm_irqchip_add_adapter_route) have no trace event; their commit,
 * their release, the KVM_IRQFD ioctls that bind them and the adapter interrupts QEMU injects
 * when no irqfd carries a notification do. QEMU's kvm_* events exist only in a binary built with
 * KVM for its target: Debian's qemu-system-s390x on x86 has none (it would warn for each).
 */
const kvmEvents: Record<string, readonly string[]> = {
  x86_64: [commitEvent, msiRouteEvent, releaseEvent, vmIoctlEvent, irqfdNotifyEvent, irqfdNotifyDeferredEvent, notifyEvent],
  s390x: [commitEvent, releaseEvent, vmIoctlEvent, irqfdNotifyEvent, irqfdNotifyDeferredEvent, notifyEvent, adapterInterruptEvent],
};

/**
 * The events to enable for a trial. Under TCG there is no in-kernel irqchip: no routes, no
 * irqfds, nothing to count, so nothing is enabled and the counts stay null. An architecture
 * without a list here is not counted either.
 */
export function irqTraceEvents(target: IrqTraceTarget): readonly string[] {
  if (target.accel !== 'kvm') return [];
  return kvmEvents[target.arch] ?? [];
}

/** Whether a trial of this arch and accel has its irq counts taken at all. */
export function irqCountsMeasurable(target: IrqTraceTarget): boolean {
  return irqTraceEvents(target).length > 0;
}

/**
 * The options to append to QEMU's argument vector: `-trace NAME` per event and `-D traceFile`.
 * Empty under TCG. `timestamps` adds `-msg timestamp=on`, which prefixes each trace line with
 * the thread id and time, and each error_report line on stderr with a date (both parsers
 * accept either form).
 */
export function irqTraceArgs(target: IrqTraceTarget & { traceFile: string; timestamps?: boolean }): string[] {
  const events = irqTraceEvents(target);
  if (events.length === 0) return [];
  if (target.traceFile.length === 0) throw new Error('irqTraceArgs: traceFile is empty');
  return [
    ...events.flatMap((e) => ['-trace', e]),
    '-D', target.traceFile,
    ...(target.timestamps ? ['-msg', 'timestamp=on'] : []),
  ];
}

const missingEventPattern = /trace event '([A-Za-z0-9_]+)' does not exist/;

/** The event named by QEMU's "trace event 'NAME' does not exist" warning on a stderr line, if it is one. */
export function missingTraceEvent(stderrLine: string): string | undefined {
  return missingEventPattern.exec(stderrLine)?.[1];
}
