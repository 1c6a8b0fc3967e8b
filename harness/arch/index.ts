import type { ArchSpec } from './types.js';
import { s390x } from './s390x.js';
import { x86_64 } from './x86_64.js';

export { irqchipModes, type ArchSpec, type IrqchipMode, type MachineShape } from './types.js';

const specs = { s390x, x86_64 } satisfies Record<string, ArchSpec>;

export type ArchName = keyof typeof specs;
export const archNames = Object.keys(specs) as [ArchName, ...ArchName[]];

export function archSpec(name: ArchName): ArchSpec {
  return specs[name];
}
