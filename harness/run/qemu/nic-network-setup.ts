import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { networkSetupBatch } from './nic-network.js';

/** Writes the trial's `ip -batch` file for its NICs into its directory; undefined when it has none. */
export async function writeNetworkSetup(nics: number, dir: string): Promise<string | undefined> {
  if (nics <= 0) return undefined;
  const file = join(dir, 'network.batch');
  await writeFile(file, networkSetupBatch(nics), { mode: 0o600 });
  return file;
}
