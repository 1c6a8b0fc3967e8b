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
      const removed = await removeIfStillStale(lock, graceMs);
      if (removed === 'busy') return { acquired: false, owner: undefined };
      if (removed) tookOver = removed;
      continue;
    }
    // Written whole and renamed in: a reader sees no pid or the whole pid, never a part.
    const tmp = join(lock, `pid.${process.pid}.tmp`);
    try {
      await writeFile(tmp, String(process.pid));
      await rename(tmp, join(lock, 'pid'));
    } catch (e) {
      // A full disk or a lost permission between mkdir and the pid: no half-made lock is left.
      await rm(lock, { recursive: true, force: true }).catch(() => {});
      throw e;
    }
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
  // Released in between: nothing to take over (no reason to tell), try again at once.
  if (madeAt === undefined) return { kind: 'stale', why: '' };
  if (Date.now() - madeAt < graceMs) return { kind: 'young' };
  const what = text === undefined ? 'holds no pid file' : 'holds no pid in its pid file';
  return { kind: 'stale', why: `${lock}: ${what} after ${graceMs / 1000} s (its owner died while taking it, or it was not made by emuflock)` };
}

/**
 * Removes a stale lock, one process at a time: whoever makes `<lock>.takeover` (mkdir, atomic)
 * judges the lock again and removes it only if it is still stale. Without this, a process that
 * judged the lock stale a moment ago could remove the fresh lock of another that took it over
 * meanwhile, and both would hold it. Returns why the lock was stale, undefined when it no longer
 * is, or 'busy' while another process takes it over. A takeover whose process died is itself
 * stale after `graceMs`.
 */
async function removeIfStillStale(lock: string, graceMs: number): Promise<string | undefined | 'busy'> {
  const takeover = `${lock}.takeover`;
  try {
    await mkdir(takeover);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const madeAt = await stat(takeover).then(
      (st) => st.mtimeMs,
      () => undefined,
    );
    if (madeAt !== undefined && Date.now() - madeAt >= graceMs) await rm(takeover, { recursive: true, force: true });
    return 'busy';
  }
  try {
    const held = await holder(lock, graceMs);
    if (held.kind !== 'stale') return undefined;
    await rm(lock, { recursive: true, force: true });
    return held.why;
  } finally {
    await rm(takeover, { recursive: true, force: true });
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
