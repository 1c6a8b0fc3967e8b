/**
 * Variables by which git tells a child which repository it is in. `git bisect run` in a linked
 * worktree exports GIT_DIR (seen with git 2.39) to the step it runs: every git command the step
 * ran with `-C tree` then took the bisect worktree's repository and index for the build tree's,
 * rewrote all 20,000 files of the tree (a full rebuild per bisect step) and moved the bisect
 * worktree's HEAD. emuflock always names the repository it means (`git -C`), and QEMU's
 * configure and meson call git too: none of its children may inherit its caller's.
 */
const repositoryVariables = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_PREFIX'];

/** Forgets the caller's repository, for this process and every child it starts. */
export function forgetCallersRepository(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of repositoryVariables) delete env[name];
}
