import { run } from '../core/exec.js';
import { inputError } from '../core/errors.js';
import { printable } from '../core/printable.js';

/**
 * A revision of a QEMU repository as a user names it, to its commit: anything git resolves
 * (branch, tag, commit), else a release name (`v10.1.0`, `10.1.0`, `v10.2.0-rc1`) found by the
 * commit that made the release. QEMU tags its releases, but mirrors and shallow or CI clones
 * often carry no tags; every release is a commit that writes the version into VERSION, titled
 * "Update version for v10.1.0 release" in most, with variants in others ("for the v10.0.0
 * release", "Update VERSION for v7.2.0", "Update version for 9.0.0 release"), so a history or a
 * bisect can be given release names in any repository. `undefined` when neither finds it.
 */
export async function resolveRevision(repo: string, rev: string): Promise<string | undefined> {
  const direct = await run('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).then(
    (out) => out.trim(),
    () => '',
  );
  if (direct) return direct;
  const release = rev.match(/^v?(\d+\.\d+\.\d+)(-rc\d+)?$/);
  if (!release) return undefined;
  const name = `v${release[1]}${release[2] ?? ''}`;
  const subject = `^Update version for (the )?v?${name.slice(1).replace(/\./g, '\\.')}( release)?$`;
  const found = await run('git', ['-C', repo, 'log', '--all', '--format=%H', '-E', '-i', `--grep=${subject}`]).catch(() => '');
  // The same release commit can sit on several branches of a mirror (a cherry-pick onto a
  // stable branch has its own hash): the one whose VERSION says the release is it.
  const expected = release[2] ? undefined : release[1];
  for (const sha of found.split('\n').filter(Boolean)) {
    if (!expected) return sha;
    const version = await run('git', ['-C', repo, 'show', `${sha}:VERSION`]).catch(() => '');
    if (version.trim() === expected) return sha;
  }
  return undefined;
}

/** resolveRevision, or one line naming what asked (`what`), the revision and the repository. */
export async function requireRevision(repo: string, rev: string, what: string): Promise<string> {
  const sha = await resolveRevision(repo, rev);
  if (!sha) throw inputError(`${what}: no revision "${printable(rev)}" in ${printable(repo)} (a branch, tag, commit, or release name such as v10.1.0)`);
  return sha;
}

/** Whether PATH is a git repository, with a work tree or bare (a mirror): its revisions can be read. */
export async function isGitRepository(path: string): Promise<boolean> {
  return run('git', ['-C', path, 'rev-parse', '--git-dir']).then(
    () => true,
    () => false,
  );
}
