import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A directory lock (mkdir is atomic) holding the owner's pid, so that two emuflock processes
 * never build in the same tree at once, and a lock left by a killed process is taken over.
 */
export async function withLock<T>(dir: string, onWait: (owner: number) => void, work: () => Promise<T>): Promise<T> {
  const lock = join(dir, '.lock');
  let told = false;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => 'NaN'));
      if (Number.isNaN(owner)) {
        // Taken a moment ago; its owner is writing its pid.
        await sleep(100);
        continue;
      }
      if (!alive(owner)) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (!told) onWait(owner);
      told = true;
      await sleep(1000);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
