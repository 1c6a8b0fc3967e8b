import { access, constants, realpath } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { environmentError } from '../core/errors.js';
import { fileSha256, qemuVersion } from './binary-identity.js';
import type { ResolvedVariant } from './variant.js';

export const systemVariantName = 'system';

/** The distribution's QEMU, found on PATH: no build, the reference every patch is held against. */
export async function resolveSystemVariant(qemuBinary: string): Promise<ResolvedVariant> {
  const binary = await findOnPath(qemuBinary);
  if (!binary) {
    throw environmentError(`${qemuBinary} is not installed; the system variant needs it: sudo apt-get install qemu-system-misc`);
  }
  const sha = await fileSha256(binary);
  return {
    binary,
    dataDir: undefined,
    record: {
      name: systemVariantName,
      buildKey: `system-${sha.slice(0, 16)}`,
      series: [],
      binary,
      binarySha256: sha,
      qemuVersion: await qemuVersion(binary),
    },
  };
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '/usr/bin').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return await realpath(candidate);
    } catch {
      // Not here.
    }
  }
  return undefined;
}
