import { z } from 'zod';

/**
 * What each count means (per trial, exact, compared for equality between variants):
 *
 *   routeCommits       times QEMU copied its GSI routing table into KVM (KVM_SET_GSI_ROUTING;
 *                      each copy is an allocation and an SRCU grace period in the kernel).
 *                      QEMU 7.2 x86 virtio-pci commits twice per queue vector (its route
 *                      added, then the vector unmasked with its message) plus once at start-up
 *                      for the 38 PIC/IOAPIC routes; s390x once per device start.
 *   routesAdded        x86_64: MSI routes added (kvm_irqchip_add_msi_route), one per vector in
 *                      use. s390x: null: adapter routes have no trace event in 7.2.
 *   routesReleased     routes taken out of QEMU's table (kvm_irqchip_release_virq): a device's
 *                      notifiers switched off (guest reset, VM stop at exit; not on
 *                      isa-debug-exit, which exits at once) and the undo of a device whose
 *                      routes ran out. No commit follows a release.
 *   irqfdNotifies      virtqueue notifications sent through a guest notifier eventfd
 *                      (virtio_notify_irqfd): with KVM routes in place the kernel injects them.
 *   userspaceNotifies  x86_64: notifications QEMU's device model delivered itself (virtio_notify,
 *                      then an MSI-X message through KVM_SIGNAL_MSI): a device without irqfd.
 *                      s390x: adapter interrupts QEMU injected itself (css_adapter_interrupt):
 *                      from a device without irqfd, or a guest notifier with no route behind it;
 *                      one per summary-indicator flip, so at most one per notification.
 *   irqfdFallbacks     device starts that fell back to userspace, from QEMU's stderr
 *                      (measure/irq/fallback-messages.ts): one per device start, whatever the
 *                      message count.
 *
 * null means "not measured" (TCG, an event the binary lacks, no trace log, no stderr), never 0.
 */
export const irqCountNames = ['routeCommits', 'routesAdded', 'routesReleased', 'irqfdNotifies', 'userspaceNotifies', 'irqfdFallbacks'] as const;
export type IrqCountName = (typeof irqCountNames)[number];

/** Each count as a sentence names it. */
export const irqCountLabels: Record<IrqCountName, string> = {
  routeCommits: 'irq route commits',
  routesAdded: 'irq routes added',
  routesReleased: 'irq routes released',
  irqfdNotifies: 'irqfd notifications',
  userspaceNotifies: 'userspace notifications',
  irqfdFallbacks: 'irqfd fallbacks',
};

export const countsSchema = z.object(Object.fromEntries(irqCountNames.map((n) => [n, z.number().nullable()])) as Record<IrqCountName, z.ZodNullable<z.ZodNumber>>);
export type Counts = z.infer<typeof countsSchema>;

/** Counts that need KVM or trace events: unmeasured here, so null, never 0. */
export const unmeasuredCounts: Counts = Object.fromEntries(irqCountNames.map((n) => [n, null])) as Counts;
