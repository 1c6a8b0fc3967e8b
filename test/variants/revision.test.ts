import t from 'tap';
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveRevision } from '../../harness/variants/revision.js';
import { userQemuSource } from '../../harness/variants/user-source.js';
import { tempDir } from '../helpers.js';

// Release names in a repository without tags, as QEMU's history reaches most people through
// mirrors: the release is the commit titled "Update version for vX.Y.Z release" that writes
// VERSION (QEMU's own subjects, e.g. 7c949c53e9 "Update version for the v10.0.0 release" has
// "the", 698104725e "Update version for v10.2.0 release" has not, b67b00e6b4 is "Update VERSION
// for v7.2.0" and c25df57ae8 "Update version for 9.0.0 release").
const git = (repo: string, ...args: string[]) => execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);

async function commitVersion(repo: string, version: string, subject: string): Promise<string> {
  await writeFile(join(repo, 'VERSION'), `${version}\n`);
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', subject);
  return (await git(repo, 'rev-parse', 'HEAD')).stdout.trim();
}

async function untaggedHistory() {
  const repo = join(await tempDir(), 'qemu');
  await mkdir(repo);
  await execa('git', ['init', '-q', '-b', 'master', repo]);
  const v1 = await commitVersion(repo, '1.0.0', 'Update version for the v1.0.0 release');
  await commitVersion(repo, '1.0.50', 'Open 1.1 development tree');
  const rc1 = await commitVersion(repo, '1.0.91', 'Update version for v1.1.0-rc1 release');
  const v11 = await commitVersion(repo, '1.1.0', 'Update version for v1.1.0 release');
  const v12 = await commitVersion(repo, '1.2.0', 'Update VERSION for v1.2.0');
  const v13 = await commitVersion(repo, '1.3.0', 'Update version for 1.3.0 release');
  // A stable branch carries a commit with the same subject whose VERSION is not the release.
  await git(repo, 'checkout', '-q', '-b', 'stable-1.0', v1);
  await commitVersion(repo, '1.0.1', 'Update version for v1.1.0 release');
  await git(repo, 'checkout', '-q', 'master');
  return { repo, v1, rc1, v11, v12, v13 };
}

t.test('a release name resolves to its release commit, with or without "v", rc included', async (t) => {
  const { repo, v1, rc1, v11, v12, v13 } = await untaggedHistory();
  t.equal(await resolveRevision(repo, 'v1.0.0'), v1, '"for the v1.0.0 release"');
  t.equal(await resolveRevision(repo, 'v1.2.0'), v12, '"Update VERSION for v1.2.0", as 7.2.0\'s');
  t.equal(await resolveRevision(repo, 'v1.3.0'), v13, '"Update version for 1.3.0 release", as 9.0.0\'s');
  t.equal(await resolveRevision(repo, '1.1.0'), v11, 'the commit whose VERSION says 1.1.0, not the stable branch namesake');
  t.equal(await resolveRevision(repo, 'v1.1.0-rc1'), rc1);
  t.equal(await resolveRevision(repo, 'v1.4.0'), undefined, 'a release the history does not have');
  t.equal(await resolveRevision(repo, 'master~5'), v1, 'what git resolves comes first');
  await git(repo, 'tag', 'v1.1.0', v1);
  t.equal(await resolveRevision(repo, 'v1.1.0'), v1, 'a tag of that name wins: it is what the user sees in git log');
});

t.test('PATH@vX.Y.Z of a bare repository (a mirror) is a source; a working tree of one is refused', async (t) => {
  process.env.XDG_CACHE_HOME = await tempDir();
  const { repo, v11 } = await untaggedHistory();
  const bare = join(await tempDir(), 'mirror.git');
  await execa('git', ['clone', '-q', '--bare', '--no-tags', repo, bare]);
  const source = await userQemuSource(`${bare}@v1.1.0`, () => {});
  t.equal(source.commit, v11);
  t.equal((await git(source.repo, 'show', `${v11}:VERSION`)).stdout, '1.1.0');
  await t.rejects(userQemuSource(`${bare}@v9.9.9`, () => {}), { kind: 'input', message: /no revision "v9\.9\.9" in .*release name such as v10\.1\.0/ });
  await t.rejects(userQemuSource(bare, () => {}), { kind: 'input', message: /is not a git checkout/ });
});
