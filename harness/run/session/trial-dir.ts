/**
 * A trial's private directory (sockets, disk images, trace log), named after the emuflock
 * process that owns it. The trial removes it, and a signal's exit path too; only SIGKILL
 * leaves one behind, and the next run removes those whose owner is dead.
 */
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dir as tmpDir, type DirectoryResult } from 'tmp-promise';
import { pidAlive } from '../../core/pid-lock.js';

const prefix = 'emuflock-trial-';

export function makeTrialDir(): Promise<DirectoryResult> {
  return tmpDir({ unsafeCleanup: true, prefix: `${prefix}${process.pid}-` });
}

/** Removes trial directories of emuflock processes that are gone; returns how many. */
export async function removeOrphanTrialDirs(root = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!(pid > 0) || pidAlive(pid)) continue;
    await rm(join(root, name), { recursive: true, force: true }).then(() => removed++, () => {});
  }
  return removed;
}
