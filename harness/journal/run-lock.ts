import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { displayPath } from '../core/yaml-input.js';
import { inputError } from '../core/errors.js';
import { fsError } from '../core/fs-error.js';
import { defaultLockGraceMs, tryLock } from '../core/pid-lock.js';

export const runLockName = '.lock';

/**
 * Claims a run directory for writing its journal (`run`, `run --resume`): a second writer would
 * plan from the same journal and record trials twice, so it is refused, naming the owner. A
 * lock left by a killed emuflock is taken over. Returns the release; the lock also goes when
 * the process exits by a signal, without waiting for a `finally` that never runs.
 */
export async function lockRunDir(runDir: string): Promise<() => Promise<void>> {
  const lock = join(runDir, runLockName);
  const deadline = Date.now() + defaultLockGraceMs * 2;
  for (;;) {
    const attempt = await tryLock(lock).catch((e: unknown) => {
      throw fsError(e, runDir);
    });
    if (attempt.acquired) {
      const onExit = () => rmSync(lock, { recursive: true, force: true });
      process.once('exit', onExit);
      return async () => {
        process.off('exit', onExit);
        await attempt.release();
      };
    }
    if (attempt.owner !== undefined) {
      throw inputError(`${displayPath(runDir)}: another emuflock (pid ${attempt.owner}) is writing this run; let it finish (or stop it), then resume`);
    }
    if (Date.now() > deadline) throw inputError(`${displayPath(runDir)}: ${runLockName} is held and names no owner; remove it if no emuflock is running`);
    await sleep(100);
  }
}
