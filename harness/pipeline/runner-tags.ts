import type { CaseSpec } from '../case/schema.js';

/**
 * GitLab runner tags for a case. KVM needs a host of the guest's own architecture with
 * /dev/kvm (LinuxONE for s390x): tags [arch, kvm]. TCG emulates, so any machine with
 * emuflock's packages will do: the site's own tag for such runners, or none.
 */
export function runnerTags(spec: Pick<CaseSpec, 'arch' | 'accel'>, tcgTag: string | undefined): string[] {
  if (spec.accel === 'kvm') return [spec.arch, 'kvm'];
  return tcgTag ? [tcgTag] : [];
}
