import t from 'tap';
import { execa } from 'execa';
import { mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { userQemuSource } from '../../harness/variants/user-source.js';
import { tempDir } from '../helpers.js';

// --qemu-src, without building: what gets exported into the source cache, under which
// identity, and that the user's checkout is left as it was. (Builds from these sources go
// through the same work-tree machinery as Debian's source: test/e2e/variants and bisect.)
const git = (repo: string, ...args: string[]) => execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
const quiet = () => {};

async function userRepo(): Promise<string> {
  const repo = join(await tempDir(), 'qemu');
  await mkdir(join(repo, 'hw'), { recursive: true });
  await writeFile(join(repo, 'hw', 'a.c'), 'int a;\n');
  await execa('git', ['init', '-q', repo]);
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'one');
  return repo;
}

t.test('PATH@REV: a commit of the checkout, through a shared clone, named by its sha', async (t) => {
  const cache = await tempDir();
  process.env.XDG_CACHE_HOME = cache;
  const repo = await userRepo();
  const first = (await git(repo, 'rev-parse', 'HEAD')).stdout.trim();
  await writeFile(join(repo, 'hw', 'a.c'), 'int a, b;\n');
  await git(repo, 'commit', '-qam', 'two');
  const s1 = await userQemuSource(`${repo}@HEAD~1`, quiet);
  const s2 = await userQemuSource(`${repo}@HEAD`, quiet);
  t.equal(s1.id, `git-${first}`);
  t.equal(s1.commit, first);
  t.equal(s1.family, s2.family, 'commits of one repository share a family (one work tree)');
  t.equal(s1.repo, s2.repo, 'and one cached clone');
  t.equal((await git(s1.repo, 'show', `${first}:hw/a.c`)).stdout, 'int a;');
  await t.rejects(userQemuSource(`${repo}@no-such-rev`, quiet), { kind: 'input', message: /no revision "no-such-rev"/ });
  t.equal((await git(repo, 'status', '--porcelain')).stdout, '', "the user's checkout is untouched");
});

// Two CI jobs of one history on one runner fill the cache at once: each clones aside, one
// rename wins (cloned in place, the second failed on the first's half-made folder).
t.test('PATH@REV: two at once on an empty cache both get the one cached clone; a half-made one is replaced', async (t) => {
  process.env.XDG_CACHE_HOME = await tempDir();
  const repo = await userRepo();
  const both = await Promise.all([userQemuSource(`${repo}@HEAD`, quiet), userQemuSource(`${repo}@HEAD`, quiet)]);
  t.equal(both[0].repo, both[1].repo);
  t.equal((await git(both[0].repo, 'cat-file', '-t', both[0].commit!)).stdout, 'commit');
  t.same((await readdir(dirname(both[0].repo))).filter((f) => f.startsWith('.clone-')), [], 'no clone left aside');

  process.env.XDG_CACHE_HOME = await tempDir();
  const family = dirname((await userQemuSource(`${repo}@HEAD`, quiet)).repo);
  await rm(join(family, 'repo', '.git'), { recursive: true });
  await writeFile(join(family, 'repo', 'left-by-a-kill'), '');
  const again = await userQemuSource(`${repo}@HEAD`, quiet);
  t.equal((await git(again.repo, 'cat-file', '-t', again.commit!)).stdout, 'commit', 'cloned again over what a kill left');
});

t.test('PATH: the working tree as it is, uncommitted changes included; another change, another source', async (t) => {
  process.env.XDG_CACHE_HOME = await tempDir();
  const repo = await userRepo();
  await writeFile(join(repo, 'hw', 'a.c'), 'int a_changed;\n');
  await writeFile(join(repo, 'new.c'), 'int n;\n');
  const s = await userQemuSource(repo, quiet);
  t.match(s.id, /^worktree-[0-9a-f]{16}$/);
  t.equal(await readFile(join(s.repo, 'hw', 'a.c'), 'utf8'), 'int a_changed;\n');
  t.equal(await readFile(join(s.repo, 'new.c'), 'utf8'), 'int n;\n');
  t.equal((await userQemuSource(repo, quiet)).id, s.id, 'the same tree is the same source');
  await writeFile(join(repo, 'new.c'), 'int m;\n');
  t.not((await userQemuSource(repo, quiet)).id, s.id);
});

// QEMU tracks symlinks to directories (subprojects/libvhost-user/standard-headers/linux points
// into include/): a working tree exported without them does not build ("standard-headers/linux/
// virtio_ring.h: No such file or directory", seen building a clone of Debian's 7.2 source).
t.test('PATH: tracked symlinks, to directories too, are exported as symlinks and named in the identity', async (t) => {
  process.env.XDG_CACHE_HOME = await tempDir();
  const repo = await userRepo();
  await mkdir(join(repo, 'include', 'standard-headers', 'linux'), { recursive: true });
  await writeFile(join(repo, 'include', 'standard-headers', 'linux', 'virtio_ring.h'), '#define VRING 1\n');
  await mkdir(join(repo, 'subprojects', 'libvhost-user', 'standard-headers'), { recursive: true });
  await symlink('../../../include/standard-headers/linux', join(repo, 'subprojects', 'libvhost-user', 'standard-headers', 'linux'));
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'headers');
  const s = await userQemuSource(repo, quiet);
  const exported = join(s.repo, 'subprojects', 'libvhost-user', 'standard-headers', 'linux');
  t.equal(await readlink(exported), '../../../include/standard-headers/linux', 'a symlink, as git has it');
  t.equal(await readFile(join(exported, 'virtio_ring.h'), 'utf8'), '#define VRING 1\n', 'and the header is reached through it');
  await rm(join(repo, 'subprojects', 'libvhost-user', 'standard-headers', 'linux'));
  await symlink('../../../include', join(repo, 'subprojects', 'libvhost-user', 'standard-headers', 'linux'));
  t.not((await userQemuSource(repo, quiet)).id, s.id, 'a symlink pointing elsewhere is another source');
});

t.test('a tarball: unpacked below its top directory, named by its digest', async (t) => {
  process.env.XDG_CACHE_HOME = await tempDir();
  const dir = await tempDir();
  await mkdir(join(dir, 'qemu-7.2.0', 'hw'), { recursive: true });
  await writeFile(join(dir, 'qemu-7.2.0', 'hw', 'b.c'), 'int b;\n');
  await execa('tar', ['-cJf', join(dir, 'qemu-7.2.0.tar.xz'), '-C', dir, 'qemu-7.2.0']);
  const s = await userQemuSource(join(dir, 'qemu-7.2.0.tar.xz'), quiet);
  t.match(s.id, /^tarball-[0-9a-f]{16}$/);
  t.equal(await readFile(join(s.repo, 'hw', 'b.c'), 'utf8'), 'int b;\n');
  await t.rejects(userQemuSource(join(dir, 'missing.tar.xz'), quiet), { kind: 'input', message: /does not exist/ });
});
