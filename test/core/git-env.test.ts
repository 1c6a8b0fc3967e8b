import t from 'tap';
import { execa } from 'execa';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { forgetCallersRepository } from '../../harness/core/git-env.js';
import { tempDir } from '../helpers.js';

t.test("git run under a caller's GIT_DIR works on the caller's repository, whatever -C says; forgotten, on its own", async (t) => {
  const dir = await tempDir();
  const [caller, tree] = [join(dir, 'caller'), join(dir, 'tree')];
  for (const repo of [caller, tree]) {
    await mkdir(repo);
    await execa('git', ['init', '-q', repo]);
  }
  // What `git bisect run` in a linked worktree hands its step.
  const env = { ...process.env, GIT_DIR: join(caller, '.git'), GIT_PREFIX: '' };
  const gitDir = (e: NodeJS.ProcessEnv) => execa('git', ['-C', tree, 'rev-parse', '--absolute-git-dir'], { env: e, extendEnv: false }).then((r) => r.stdout);
  t.equal(await gitDir(env), join(caller, '.git'), 'the trap: -C is ignored for the repository');
  forgetCallersRepository(env);
  t.equal(env.GIT_DIR, undefined);
  t.equal(await gitDir(env), join(tree, '.git'));
});
