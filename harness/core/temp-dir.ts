import { mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fsError } from './fs-error.js';
import { EmuflockError, environmentError } from './errors.js';

/**
 * Checked before a command that boots, builds or unpacks anything: trial directories, sockets
 * and scratch copies all go to TMPDIR, and one that is missing, a file or read-only would
 * otherwise fail deep inside (tmp-promise throws at load) after a run folder was made.
 */
export async function assertTempDir(): Promise<void> {
  const dir = tmpdir();
  try {
    await rmdir(await mkdtemp(join(dir, 'emuflock-check-')));
  } catch (e) {
    const err = fsError(e, dir, process.env.TMPDIR ? 'TMPDIR' : 'the temporary folder');
    // The environment's setting, whatever the errno: exit 3, and what to set.
    throw err instanceof EmuflockError ? environmentError(`${err.message.replace(/; [^;]*$/, '')}; set TMPDIR to a writable folder`) : err;
  }
}
