import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultLockGraceMs, tryLock } from './pid-lock.js';

/**
 * A directory lock (pid-lock.ts) so that two emuflock processes never build in the same tree
 * at once. A lock left by a killed process, or one without a pid after a few seconds, is taken
 * over and said so through `onStale`; a live owner is waited for, and said so once.
 */
export async function withLock<T>(
  dir: string,
  onWait: (owner: number) => void,
  work: () => Promise<T>,
  onStale: (line: string) => void = () => {},
  graceMs = defaultLockGraceMs,
): Promise<T> {
  const lock = join(dir, '.lock');
  let told = false;
  for (;;) {
    const attempt = await tryLock(lock, graceMs);
    if (attempt.acquired) {
      if (attempt.tookOver) onStale(`took over a stale build lock: ${attempt.tookOver}`);
      try {
        return await work();
      } finally {
        await attempt.release();
      }
    }
    if (attempt.owner !== undefined && !told) {
      onWait(attempt.owner);
      told = true;
    }
    await sleep(attempt.owner === undefined ? 100 : 1000);
  }
}
