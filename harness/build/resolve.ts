import { inputError } from '../errors.js';
import { archSpec, type ArchName } from '../run/arch/index.js';
import { resolveSystemVariant, systemVariantName } from './system-variant.js';
import type { ResolvedVariant } from './variant.js';

/** Turns a case's variant names into binaries, once per run (hashing a QEMU binary takes a moment). */
export async function resolveVariants(names: string[], arch: ArchName): Promise<Map<string, ResolvedVariant>> {
  const resolved = new Map<string, ResolvedVariant>();
  for (const name of new Set(names)) {
    if (name !== systemVariantName) {
      throw inputError(`unknown variant "${name}" (known: ${systemVariantName})`);
    }
    resolved.set(name, await resolveSystemVariant(archSpec(arch).qemuBinary));
  }
  return resolved;
}
