import { execa } from 'execa';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tryLock } from '../../harness/core/pid-lock.js';
import type { SourceTree } from '../../harness/variants/source-repo.js';
import { debianQemuSource } from '../../harness/variants/debian-source.js';
import { loadSeries } from '../../harness/variants/series.js';
import { revisionFamily } from '../../harness/variants/user-source.js';
import { cacheRoot } from '../../harness/core/paths.js';
import { tempDir } from '../helpers.js';

// A QEMU history made for the tests (bisect, history), from Debian's 7.2 source (cached):
// harmless commits, one that breaks the build and one that introduces the drain regression
// (drain-per-bds on top of the 2015 event-loop cost model). The regression is in QEMU's init
// (the machine reset's drains: 0.7 s against 3.8 s at 400 disks on a quiet host).
//
// The history is made anew each run (new commits, none of them built before), in one repository
// kept in the cache, as a maintainer bisects again in the checkout they bisected last week: its
// work tree and build directory stay, so the first build of the new history is incremental
// (36 ninja steps, not configure and 1299 through ccache: 2 CPU-minutes less). The first run on a
// machine, or after the cache is cleared, builds from nothing: 5.5 minutes alone then, 3.5-4
// otherwise.
export const git = (repo: string, ...args: string[]) =>
  execa('git', ['-C', repo, '-c', 'user.name=QEMU Developer', '-c', 'user.email=dev@qemu.invalid', ...args]);

export async function commitAll(repo: string, subject: string): Promise<string> {
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', subject);
  return (await git(repo, 'rev-parse', 'HEAD')).stdout.trim();
}

/** The cached repository, reset to the pristine source: a clone sharing the source's objects. */
async function historyRepository(source: SourceTree, repo: string): Promise<void> {
  const healthy = await git(repo, 'cat-file', '-e', `${source.commit}^{commit}`).then(
    () => true,
    () => false,
  );
  if (!healthy) {
    // Made again at the same path: the cache's clone and work tree of the old one go too.
    await rm(repo, { recursive: true, force: true });
    await mkdir(repo, { recursive: true });
    await removeCaches(repo);
    await execa('git', ['clone', '-q', '--shared', '--no-checkout', source.repo, repo]);
    // Never pruned: the cache's clone of it borrows its objects, the old histories' included.
    await git(repo, 'config', 'gc.auto', '0');
  }
  // Held under this file's lock: an index lock here was left by a test run killed mid-commit.
  await rm(join(repo, '.git', 'index.lock'), { force: true });
  await git(repo, 'checkout', '-q', '-f', '-B', 'history', source.commit);
  await git(repo, 'clean', '-fdxq');
}

/** The clone, work tree and build directory emuflock keeps for every commit of the repository. */
async function removeCaches(repo: string): Promise<void> {
  const family = await revisionFamily(repo);
  await rm(join(cacheRoot(), 'sources', family), { recursive: true, force: true });
  for (const tree of await readdir(join(cacheRoot(), 'trees')).catch(() => [] as string[])) {
    if (tree.startsWith(`${family}-`)) await rm(join(cacheRoot(), 'trees', tree), { recursive: true, force: true });
  }
}

/**
 * Leaves git's index lock in every work tree emuflock builds the repository's commits in (one per
 * configuration: which one a bisect uses depends on its case, and a directory's listing order on
 * the file system); their paths.
 */
export async function leaveIndexLocks(repo: string): Promise<string[]> {
  const family = await revisionFamily(repo);
  const trees = (await readdir(join(cacheRoot(), 'trees'))).filter((d) => d.startsWith(`${family}-`));
  const locks: string[] = [];
  for (const tree of trees) {
    const src = join(cacheRoot(), 'trees', tree, 'src');
    const lock = (await git(src, 'rev-parse', '--path-format=absolute', '--git-path', 'index.lock')).stdout.trim();
    await writeFile(lock, '');
    locks.push(lock);
  }
  return locks;
}

export async function buildHistory(repo: string, log: (line: string) => void): Promise<Record<string, string>> {
  const source = await debianQemuSource(log);
  await historyRepository(source, repo);
  const applySeries = async (name: string) => {
    // The history is made from Debian's 7.2 source: the series' 7.2 versions.
    for (const p of (await loadSeries(name, undefined, '7.2')).patches) await git(repo, 'apply', p.path);
  };
  const c: Record<string, string> = {};
  await applySeries('event-loop-2015');
  c.good = await commitAll(repo, 'main-loop: one idle fd per disk, ppoll (the 2015 cost model)');
  await appendFile(join(repo, 'README.rst'), '\nA harmless change.\n');
  c.harmless1 = await commitAll(repo, 'docs: a harmless change');
  await appendFile(join(repo, 'README.rst'), '\nAnother harmless change.\n');
  c.harmless2 = await commitAll(repo, 'docs: another harmless change');
  const blk = join(repo, 'hw', 'block', 'virtio-blk.c');
  const original = await readFile(blk, 'utf8');
  await writeFile(blk, original.replace('#include "qemu/osdep.h"\n', '#include "qemu/osdep.h"\n#error "a commit that does not build"\n'));
  c.broken = await commitAll(repo, 'virtio-blk: a commit that does not build');
  await writeFile(blk, original);
  c.fixed = await commitAll(repo, 'virtio-blk: build again');
  await applySeries('drain-per-bds');
  c.regression = await commitAll(repo, 'virtio-blk: drain all disks, one aio_poll() per disk, on reset');
  await appendFile(join(repo, 'README.rst'), '\nA third harmless change.\n');
  c.harmless3 = await commitAll(repo, 'docs: a third harmless change');
  await appendFile(join(repo, 'README.rst'), '\nA fourth harmless change.\n');
  c.bad = await commitAll(repo, 'docs: a fourth harmless change');
  return { ...c, repo };
}


/**
 * The cached repository, or, while another test run holds it (two checkouts of emuflock tested
 * at once, or the bisect and history tests side by side), one of this run's own: built from
 * nothing, its caches removed by `release`.
 */
export async function testHistoryLocation(log: (line: string) => void): Promise<{ repo: string; release: () => Promise<unknown> }> {
  const home = join(cacheRoot(), 'test-history');
  await mkdir(home, { recursive: true });
  const lock = await tryLock(join(home, 'bisect-qemu-7.2.lock'));
  if (lock.acquired) return { repo: join(home, 'bisect-qemu-7.2'), release: lock.release };
  log(`the cached history is in use (pid ${lock.owner ?? 'unknown'}): a repository of this run's own, built from nothing`);
  const repo = join(await tempDir(), 'qemu');
  await mkdir(repo);
  return { repo, release: () => removeCaches(repo) };
}
