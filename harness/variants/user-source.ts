import { printable } from '../core/printable.js';
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readlink, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { dir as tmpDir } from 'tmp-promise';
import { run } from '../core/exec.js';
import { inputError } from '../core/errors.js';
import { fileSha256 } from './binary-identity.js';
import { isGitRepository, requireRevision } from './revision.js';
import { cachedSourceRepo, isDirectory, sourcesDir, type SourceTree } from './source-repo.js';

/**
 * A user's QEMU: a git checkout at a revision (`PATH@REV`), a checkout's working tree as it is
 * (`PATH`, uncommitted changes included), or a release tarball. The user's checkout is only
 * read (a shared clone borrows its objects): nothing is ever built in it.
 */
export async function userQemuSource(spec: string, log: (line: string) => void): Promise<SourceTree> {
  const { path, rev } = splitSpec(spec);
  const kind = await stat(path).then(
    (s) => (s.isDirectory() ? 'dir' : 'file'),
    () => undefined,
  );
  if (!kind) throw inputError(`${printable(spec)}: ${printable(path)} does not exist`);
  if (kind === 'file') return tarballSource(path, log);
  // A revision is read from the repository's objects, so a bare repository (a mirror) will do;
  // a working tree must be one.
  if (rev) {
    if (!(await isGitRepository(path))) throw inputError(`${printable(spec)}: ${printable(path)} is not a git repository (nor a tarball)`);
    return revisionSource(path, rev, log);
  }
  if (!(await isGitCheckout(path))) throw inputError(`${printable(spec)}: ${printable(path)} is not a git checkout (nor a tarball)`);
  return workingTreeSource(path, log);
}

export function splitSpec(spec: string): { path: string; rev: string | undefined } {
  const at = spec.lastIndexOf('@');
  if (at > 0) return { path: resolve(spec.slice(0, at)), rev: spec.slice(at + 1) };
  return { path: resolve(spec), rev: undefined };
}

async function isGitCheckout(path: string): Promise<boolean> {
  return run('git', ['-C', path, 'rev-parse', '--show-toplevel']).then(
    () => true,
    () => false,
  );
}

async function tarballSource(file: string, log: (line: string) => void): Promise<SourceTree> {
  const digest = await fileSha256(file);
  return cachedSourceRepo(`tarball-${digest.slice(0, 16)}`, `tarball ${basename(file)}`, async (tree) => {
    log(`unpacking ${file}`);
    await mkdir(tree);
    // Release tarballs hold one top-level directory (qemu-7.2.0/).
    await run('tar', ['-xf', file, '-C', tree, '--strip-components=1'], { kind: 'input', what: `unpacking ${file}` });
  });
}

/**
 * A commit of the user's repository. All commits of one repository share one cached clone
 * (objects borrowed from the user's repository, nothing copied) and so one work tree: moving
 * between neighbouring commits, as a bisect does, rebuilds only what changed.
 */
async function revisionSource(repo: string, rev: string, log: (line: string) => void): Promise<SourceTree> {
  // Whoever named the source (--qemu-src, a case's source:) said so before; git's own words add nothing.
  const commit = await requireRevision(repo, rev, `${printable(repo)}@${printable(rev)}`);
  const family = await revisionFamily(repo);
  const clone = join(sourcesDir(), family, 'repo');
  if (!(await isDirectory(join(clone, '.git')))) {
    log(`cloning ${repo} into the source cache (shared objects, no copy)`);
    await cloneIntoCache(repo, clone);
  }
  const known = await run('git', ['-C', clone, 'cat-file', '-e', `${commit}^{commit}`]).then(
    () => true,
    () => false,
  );
  if (!known) await run('git', ['-C', clone, 'fetch', '-q', repo, '+refs/*:refs/emuflock/*', '+HEAD:refs/emuflock/HEAD']);
  return {
    id: `git-${commit}`,
    family,
    label: `git ${commit.slice(0, 12)}`,
    repo: clone,
    commit,
    completeTree: (tree) => copySubmodules(repo, commit, tree, log),
  };
}

/**
 * Clones aside and renames into place: two commands filling the cache at once (two CI jobs of one
 * history on one runner) each clone, the first rename wins and the other's clone is dropped.
 * Cloning in place, the second found the first's half-made folder ("already exists and is not
 * an empty directory") and failed.
 */
async function cloneIntoCache(repo: string, clone: string): Promise<void> {
  const family = dirname(clone);
  await mkdir(family, { recursive: true });
  const work = await tmpDir({ tmpdir: family, prefix: '.clone-', unsafeCleanup: true });
  try {
    const made = join(work.path, 'repo');
    await run('git', ['clone', '-q', '--shared', '--no-checkout', repo, made]);
    const placed = await rename(made, clone).then(
      () => true,
      () => false,
    );
    if (placed || (await isDirectory(join(clone, '.git')))) return;
    // Not a clone there: what a kill left of an older emuflock's clone made in place.
    await rm(clone, { recursive: true, force: true });
    await rename(made, clone);
  } finally {
    await work.cleanup().catch(() => {});
  }
}

/** The cache family (clone, work tree, build directory) of every commit of one repository. */
export async function revisionFamily(repo: string): Promise<string> {
  return `git-${createHash('sha256').update(await realpath(repo)).digest('hex').slice(0, 12)}`;
}

/** Submodules (meson, keycodemapdb, dtc...) at the commits the revision records, where the user's checkout has them. */
async function copySubmodules(repo: string, commit: string, tree: string, log: (line: string) => void): Promise<void> {
  const listing = await run('git', ['-C', repo, 'ls-tree', '-r', commit]);
  const absent: string[] = [];
  for (const line of listing.split('\n')) {
    const m = line.match(/^160000 commit ([0-9a-f]+)\t(.+)$/);
    if (!m || !(await isDirectory(join(repo, m[2]!)))) continue;
    await mkdir(join(tree, m[2]!), { recursive: true });
    await run('sh', ['-c', 'git -C "$0" archive --format=tar "$1" | tar -x -C "$2"', join(repo, m[2]!), m[1]!, join(tree, m[2]!)]).catch(() => absent.push(m[2]!));
  }
  // One line for all of them: a checkout of an older release lacks a dozen roms/ at once.
  if (absent.length > 0) {
    const shown = absent.length > 4 ? `${absent.slice(0, 4).join(', ')} and ${absent.length - 4} more` : absent.join(', ');
    log(`warning: ${absent.length} submodule${absent.length > 1 ? 's' : ''} at the commits ${commit.slice(0, 12)} records are not in ${repo} (${shown}); the build may ask for them`);
  }
}

async function workingTreeSource(repo: string, log: (line: string) => void): Promise<SourceTree> {
  const listed = await workingTreeFiles(repo);
  const files: string[] = [];
  const hash = createHash('sha256');
  for (const f of listed.filter(Boolean).sort()) {
    // lstat: QEMU tracks symlinks (subprojects/libvhost-user/standard-headers/linux points into
    // include/); following them would drop those to directories, and the build would miss the headers.
    const s = await lstat(join(repo, f)).catch(() => undefined);
    if (s?.isSymbolicLink()) {
      files.push(f);
      hash.update(f + '\0link\0' + (await readlink(join(repo, f))) + '\0');
      // A link to a file: its content too, as for any file (it may lie outside the tree).
      if ((await stat(join(repo, f)).catch(() => undefined))?.isFile()) await hashContent(hash, join(repo, f));
      continue;
    }
    if (!s?.isFile()) continue; // deleted in the working tree, or a submodule directory
    files.push(f);
    hash.update(f + '\0' + s.mode + '\0');
    await hashContent(hash, join(repo, f));
  }
  const head = (await run('git', ['-C', repo, 'rev-parse', '--short=12', 'HEAD']).catch(() => 'no-head')).trim();
  const digest = hash.digest('hex').slice(0, 16);
  return cachedSourceRepo(`worktree-${digest}`, `git ${head} working tree (${digest})`, async (tree) => {
    log(`copying the working tree of ${repo} (${files.length} files)`);
    await mkdir(tree);
    await run('sh', ['-c', 'tar -C "$0" --null -T - -cf - | tar -x -C "$1"', repo, tree], { input: files.join('\0') });
  });
}

async function hashContent(hash: Hash, file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/**
 * Tracked and untracked-but-not-ignored files, submodules' included (git ls-files cannot
 * recurse into submodules together with --others, so they are listed one by one).
 */
async function workingTreeFiles(repo: string, prefix = ''): Promise<string[]> {
  const dir = join(repo, prefix);
  const files = (await run('git', ['-C', dir, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'])).split('\0').filter(Boolean);
  const staged = await run('git', ['-C', dir, 'ls-files', '-z', '--stage']);
  const submodules = staged
    .split('\0')
    .map((entry) => entry.match(/^160000 [0-9a-f]+ \d+\t(.+)$/)?.[1])
    .filter((p): p is string => p !== undefined);
  const out = files.filter((f) => !submodules.includes(f)).map((f) => join(prefix, f));
  for (const sub of submodules) {
    // An initialized submodule has a .git (a file, in modern git); an empty directory is skipped.
    const initialized = await stat(join(dir, sub, '.git')).then(() => true, () => false);
    if (initialized) {
      out.push(...(await workingTreeFiles(repo, join(prefix, sub))));
    }
  }
  return out;
}
