import type { ArchName } from '../arch/index.js';
import { ensureS390xAssets } from './s390x-assets.js';
import { ensureX86ProbeAssets } from './x86-probe-assets.js';
import type { GuestAssets } from './guest-assets.js';

export type { GuestAssets } from './guest-assets.js';

const builders: Record<ArchName, (log: (line: string) => void) => Promise<GuestAssets>> = {
  s390x: ensureS390xAssets,
  x86_64: ensureX86ProbeAssets,
};

/** The cached guest assets of an architecture, built when missing. */
export function ensureGuestAssets(arch: ArchName, log: (line: string) => void = () => {}): Promise<GuestAssets> {
  return builders[arch](log);
}
