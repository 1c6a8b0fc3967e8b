/**
 * A lock directory holding its owner's pid (`<lock>/pid`): mkdir is atomic, so exactly one
 * process makes it. A lock whose owner is dead is stale and taken over. So is one that holds
 * no readable pid once `graceMs` have passed since it was made: its owner was killed between
 * mkdir and writing its pid, or something else wrote it. Never a silent wait on a lock nobody
 * will release.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type LockAttempt =
  | { acquired: true; release: () => Promise<void>; tookOver?: string }
  | { acquired: false; owner: number }
  /** Held by an owner still writing its pid: ask again in a moment. */
  | { acquired: false; owner: undefined };

export const defaultLockGraceMs = 5000;

export async function tryLock(lock: string, graceMs = defaultLockGraceMs): Promise<LockAttempt> {
  let tookOver: string | undefined;
  for (;;) {
    try {
      await mkdir(lock);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = await holder(lock, graceMs);
      if (held.kind === 'live') return { acquired: false, owner: held.pid };
      if (held.kind === 'young') return { acquired: false, owner: undefined };
      tookOver = held.why;
      await removeStale(lock);
      continue;
    }
    // Written whole and renamed in: a reader sees no pid or the whole pid, never a part.
    const tmp = join(lock, `pid.${process.pid}.tmp`);
    await writeFile(tmp, String(process.pid));
    await rename(tmp, join(lock, 'pid'));
    return { acquired: true, release: () => rm(lock, { recursive: true, force: true }), ...(tookOver ? { tookOver } : {}) };
  }
}

type Holder = { kind: 'live'; pid: number } | { kind: 'young' } | { kind: 'stale'; why: string };

async function holder(lock: string, graceMs: number): Promise<Holder> {
  const text = await readFile(join(lock, 'pid'), 'utf8').catch(() => undefined);
  const pid = text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
  if (pid !== undefined && pid > 0) return pidAlive(pid) ? { kind: 'live', pid } : { kind: 'stale', why: `${lock}: its owner, pid ${pid}, is gone` };
  const madeAt = await stat(lock).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  // Gone in between: try again at once.
  if (madeAt === undefined) return { kind: 'stale', why: `${lock}: released` };
  if (Date.now() - madeAt < graceMs) return { kind: 'young' };
  const what = text === undefined ? 'holds no pid file' : 'holds no pid in its pid file';
  return { kind: 'stale', why: `${lock}: ${what} after ${graceMs / 1000} s (its owner died while taking it, or it was not made by emuflock)` };
}

/** Moved aside first, so that two processes taking over one stale lock never remove each other's new one. */
async function removeStale(lock: string): Promise<void> {
  const aside = `${lock}.stale-${process.pid}-${Date.now()}`;
  const moved = await rename(lock, aside).then(
    () => true,
    () => false,
  );
  if (moved) await rm(aside, { recursive: true, force: true });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
