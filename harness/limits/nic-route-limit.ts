import { archSpec } from '../arch/index.js';
import { guestNeeds, mostNicsInRouteTable } from './needs.js';
import type { TrialParams } from '../record/params.js';

/**
 * One line on where a KVM guest's NICs meet KVM's route table, for `emuflock doctor`: the NIC
 * count that still fits (the talk's 1365 per irqchip on s390x), or why no count applies.
 * Undefined for a trial without NICs or not under KVM (TCG has no in-kernel irqchip).
 */
export function nicRouteVerdict(params: TrialParams, routeLimit: number | null, vhostNet: boolean): string | undefined {
  if (!params.nics || params.accel !== 'kvm') return undefined;
  if (!vhostNet) return 'NICs and KVM routes: no /dev/vhost-net, so NICs take no routes (QEMU injects their interrupts itself)';
  if (routeLimit === null) return 'NICs and KVM routes: no /dev/kvm to read the route limit from';
  const most = mostNicsInRouteTable(params, routeLimit, vhostNet)!;
  const per = archSpec(params.arch).nicRoutesWithVhost;
  // QEMU keeps one GSI back.
  const over = guestNeeds(params, { vhostNet }).routes - (routeLimit - 1);
  const verdict = over <= 0 ? 'fit' : `overflow it by ${over} routes`;
  return `NICs and KVM routes: ${per} per NIC with vhost-net; at most ${most} NICs beside the disks fit ${routeLimit} routes; ${params.nics} ${verdict}`;
}
