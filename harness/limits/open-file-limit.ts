import { run } from '../core/exec.js';
import { processLimit } from '../measure/host.js';

/**
 * QEMU 7.2 never raises RLIMIT_NOFILE itself and needs at least one fd per disk, so the harness
 * raises its own soft limit to the hard one before spawning (QEMU inherits it). Node usually
 * did this at start-up already; prlimit covers runtimes that do not.
 */
export async function raiseOpenFileLimit(): Promise<{ soft: number | null; hard: number | null }> {
  const now = await processLimit('Max open files');
  if (now.soft !== null && (now.hard === null || now.soft < now.hard)) {
    const hard = now.hard === null ? 'unlimited' : String(now.hard);
    await run('prlimit', ['--pid', String(process.pid), `--nofile=${hard}:${hard}`]);
    return processLimit('Max open files');
  }
  return now;
}
