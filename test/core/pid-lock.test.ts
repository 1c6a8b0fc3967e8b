import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { tryLock } from '../../harness/core/pid-lock.js';
import { tempDir } from '../helpers.js';

/** A pid that was a process and is not any more. */
async function deadPid(): Promise<number> {
  const child = execa('true');
  await child;
  return child.pid!;
}

t.test('many processes finding one stale lock at once: exactly one takes it over', async (t) => {
  const dead = await deadPid();
  for (let round = 0; round < 20; round++) {
    const lock = join(await tempDir(), 'lock');
    await mkdir(lock);
    await writeFile(join(lock, 'pid'), String(dead));
    // Every attempt judges the lock stale before any has moved it: the race of two takeovers.
    const attempts = await Promise.all(Array.from({ length: 8 }, () => tryLock(lock)));
    const winners = attempts.filter((a) => a.acquired);
    t.equal(winners.length, 1, `round ${round}: one owner, not ${winners.length}`);
    for (const w of winners) if (w.acquired) await w.release();
  }
});

t.test('a live owner is reported, a released lock is taken at once', async (t) => {
  const lock = join(await tempDir(), 'lock');
  const first = await tryLock(lock);
  t.equal(first.acquired, true);
  const second = await tryLock(lock);
  t.same(second, { acquired: false, owner: process.pid });
  if (first.acquired) await first.release();
  const third = await tryLock(lock);
  t.equal(third.acquired, true);
  if (third.acquired) await third.release();
});
