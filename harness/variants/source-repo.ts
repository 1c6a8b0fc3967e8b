import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dir as tmpDir } from 'tmp-promise';
import { run } from '../core/exec.js';
import { cacheRoot } from '../core/paths.js';

/**
 * A QEMU source, unpacked once into the cache as a git repository holding one commit: the
 * pristine tree every variant's series is applied to. Its id names the source exactly (a
 * Debian version, a git commit, a digest), and is part of every build key.
 */
export interface SourceTree {
  id: string;
  /**
   * Sources of one family share a work tree and build directory: the commits of one git
   * repository (bisect steps rebuild incrementally); otherwise the source alone.
   */
  family: string;
  /** For people: "Debian qemu 1:7.2+dfsg-7+deb12u18", "git 1a2b3c4 (dirty)". */
  label: string;
  repo: string;
  commit: string;
  /** Fills what the commit does not hold (git submodules) after the tree is checked out. */
  completeTree?: (tree: string) => Promise<void>;
}

export const gitIdentity = ['-c', 'user.name=emuflock', '-c', 'user.email=emuflock@localhost', '-c', 'advice.detachedHead=false'];

export function sourcesDir(): string {
  return join(cacheRoot(), 'sources');
}

/**
 * Returns the cached repository for `id`, or makes it: `fill(dir)` creates `dir` holding the
 * source files, which are then committed and moved into place in one rename, so an
 * interrupted unpack is never mistaken for a source.
 */
export async function cachedSourceRepo(id: string, label: string, fill: (dir: string) => Promise<void>): Promise<SourceTree> {
  const dir = join(sourcesDir(), safeName(id));
  const ready = await unpackedSource(id);
  if (ready) return ready;

  await mkdir(sourcesDir(), { recursive: true });
  const work = await tmpDir({ tmpdir: sourcesDir(), prefix: '.unpack-', unsafeCleanup: true });
  try {
    const tree = join(work.path, 'tree');
    await fill(tree);
    await run('git', ['init', '-q', tree]);
    // -f: the pristine commit must hold every file, even those QEMU's .gitignore would skip.
    await run('git', ['-C', tree, 'add', '-A', '-f', '.']);
    await run('git', ['-C', tree, ...gitIdentity, 'commit', '-q', '--no-verify', '-m', `pristine ${label}`]);
    const commit = (await run('git', ['-C', tree, 'rev-parse', 'HEAD'])).trim();
    const record: SourceTree = { id, family: id, label, repo: tree, commit };
    await writeFile(join(work.path, 'emuflock-source.json'), JSON.stringify(record, null, 2) + '\n');
    await rm(dir, { recursive: true, force: true });
    await rename(work.path, dir);
    return { ...record, repo: join(dir, 'tree') };
  } finally {
    await work.cleanup().catch(() => {});
  }
}

/** The cached source of this id, if it was unpacked whole before. */
export async function unpackedSource(id: string): Promise<SourceTree | undefined> {
  const dir = join(sourcesDir(), safeName(id));
  const ready = await readFile(join(dir, 'emuflock-source.json'), 'utf8').then(
    (t) => JSON.parse(t) as SourceTree,
    () => undefined,
  );
  return ready ? { ...ready, family: id, repo: join(dir, 'tree') } : undefined;
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9.+_-]/g, '_');
}

export async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** The QEMU release a source holds, from its VERSION file ("10.2.2"); undefined without one. */
export async function sourceQemuVersion(source: SourceTree): Promise<string | undefined> {
  return run('git', ['-C', source.repo, 'show', `${source.commit}:VERSION`]).then(
    (v) => v.trim() || undefined,
    () => undefined,
  );
}
