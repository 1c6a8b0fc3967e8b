import t from 'tap';
import { execa } from 'execa';
import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withLock } from '../../harness/core/dir-lock.js';
import { tempDir } from '../helpers.js';

// A build lock nobody will release must not make every later build wait forever, silently.

const graceMs = 300;

async function lockWith(dir: string, pidText: string | undefined, ageMs: number): Promise<void> {
  const lock = join(dir, '.lock');
  await mkdir(lock);
  if (pidText !== undefined) await writeFile(join(lock, 'pid'), pidText);
  const then = new Date(Date.now() - ageMs);
  await utimes(lock, then, then);
}

async function build(dir: string) {
  const waits: number[] = [];
  const stale: string[] = [];
  const result = await withLock(
    dir,
    (owner) => waits.push(owner),
    async () => {
      // The lock is ours while the work runs.
      await stat(join(dir, '.lock', 'pid'));
      return 'built';
    },
    (line) => stale.push(line),
    graceMs,
  );
  return { result, waits, stale };
}

for (const [what, pidText] of [
  ['no pid file', undefined],
  ['garbage in the pid file', 'not a pid\n'],
  ['an empty pid file', ''],
] as const) {
  t.test(`a lock with ${what}, older than the grace period, is taken over and reported`, async (t) => {
    const dir = await tempDir();
    await lockWith(dir, pidText, 10 * graceMs);
    const r = await build(dir);
    t.equal(r.result, 'built');
    t.same(r.waits, [], 'no owner to wait for');
    t.equal(r.stale.length, 1);
    t.match(r.stale[0], /took over a stale build lock: .*\.lock: holds no pid/);
    await t.rejects(stat(join(dir, '.lock')), 'released after the work');
  });
}

t.test('a lock without a pid, younger than the grace period, is waited for and then taken over', async (t) => {
  const dir = await tempDir();
  await lockWith(dir, undefined, 0);
  const r = await build(dir);
  t.equal(r.result, 'built');
  t.match(r.stale[0], /holds no pid file/);
});

t.test('a lock of a dead process is taken over at once', async (t) => {
  const dir = await tempDir();
  const dead = execa('true');
  await dead;
  await lockWith(dir, String(dead.pid), 0);
  const r = await build(dir);
  t.match(r.stale[0], new RegExp(`pid ${dead.pid}, is gone`));
});

t.test('a live owner is waited for, said once, until it releases', async (t) => {
  const dir = await tempDir();
  const owner = execa('sleep', ['1.5']);
  await lockWith(dir, String(owner.pid), 0);
  // The owner "releases" when it exits: its pid is then dead.
  const r = await build(dir);
  await owner;
  t.same(r.waits, [owner.pid]);
  t.equal(r.result, 'built');
});
