import type { ArchName } from '../../arch/index.js';
import type { ResolvedVariant } from '../../variants/variant.js';

/**
 * The variants of one run, per guest architecture: one name stands for a binary per arch
 * (`system` is qemu-system-s390x for one case and qemu-system-x86_64 for another, a built
 * variant has an s390x-softmmu and an x86_64-softmmu build), so a run of cases of both arches
 * looks a variant up by the trial's arch as well as its name.
 */
export class RunVariants {
  private readonly byArch = new Map<ArchName, Map<string, ResolvedVariant>>();

  add(arch: ArchName, resolved: ReadonlyMap<string, ResolvedVariant>): void {
    this.byArch.set(arch, new Map([...(this.byArch.get(arch) ?? []), ...resolved]));
  }

  get(arch: ArchName, name: string): ResolvedVariant | undefined {
    return this.byArch.get(arch)?.get(name);
  }
}
