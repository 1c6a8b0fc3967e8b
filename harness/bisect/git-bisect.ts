import { execa } from 'execa';
import { run, untranslated } from '../core/exec.js';
import { registerGroup, unregisterGroup } from '../core/process-group.js';

/**
 * git bisect in a worktree of emuflock's own clone, so that neither the user's checkout nor
 * its bisect state is touched. `--no-checkout`: the commit under test is BISECT_HEAD; builds
 * happen in emuflock's build tree, so the bisect worktree needs no files at all.
 */
export async function prepareBisectWorktree(clone: string, worktree: string, bad: string): Promise<void> {
  await run('git', ['-C', clone, 'worktree', 'prune']);
  await run('git', ['-C', clone, 'worktree', 'add', '-q', '--no-checkout', '--detach', worktree, bad]);
}

export async function startBisect(worktree: string, good: string, bad: string): Promise<void> {
  await run('git', ['-C', worktree, 'bisect', 'reset'], {}).catch(() => {});
  await run('git', ['-C', worktree, 'bisect', 'start', '--no-checkout', '--term-old=fast', '--term-new=slow', bad, good]);
}

/**
 * Runs `git bisect run` with the step command; returns the first slow commit, if git found one.
 * git and its steps lead a process group of their own that the harness kills on any way out:
 * left running after Ctrl-C, git went on marking commits in the work tree (each step failing to
 * write to the closed pipe, read as "slow") while a resume bisected in the same work tree.
 */
export async function runBisect(worktree: string, step: string[], log: (line: string) => void): Promise<{ culprit: string | undefined; output: string }> {
  const child = execa('git', ['-C', worktree, 'bisect', 'run', ...step], { reject: false, all: true, buffer: true, stdin: 'ignore', env: untranslated, detached: true });
  if (child.pid) registerGroup(child.pid);
  child.all?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(line);
  });
  const r = await child.finally(() => child.pid && unregisterGroup(child.pid));
  const output = String(r.all ?? '');
  const culprit = output.match(/^([0-9a-f]{40}) is the first slow commit/m)?.[1];
  return { culprit, output };
}

export async function bisectHead(worktree: string): Promise<string> {
  return (await run('git', ['-C', worktree, 'rev-parse', 'BISECT_HEAD'])).trim();
}

export async function commitSubject(repo: string, sha: string): Promise<string> {
  return (await run('git', ['-C', repo, 'log', '-1', '--format=%s', sha])).trim();
}

export async function parentOf(repo: string, sha: string): Promise<string> {
  return (await run('git', ['-C', repo, 'rev-parse', `${sha}^`])).trim();
}

export async function endBisect(worktree: string): Promise<void> {
  await run('git', ['-C', worktree, 'bisect', 'reset']).catch(() => {});
}
