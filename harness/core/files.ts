import { constants } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { inputError } from './errors.js';
import { fsError } from './fs-error.js';
import { displayPath } from './display-path.js';

/** Writes a file so that readers see the old or the new content, never a part. */
export async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}

/**
 * Makes a new directory under `root`, named `name`, or `name-2`, `name-3`, ... when that is
 * taken: never one that exists, so two runs started in the same second never share a journal.
 * The root is made as needed; a root that is not a directory is an input error naming `rootFlag`.
 */
export async function makeExclusiveDir(root: string, name: string, rootFlag = '--results'): Promise<string> {
  try {
    await mkdir(root, { recursive: true });
  } catch (e) {
    throw fileSystemError(e, root, rootFlag);
  }
  for (let n = 1; n <= 1000; n++) {
    const dir = join(root, n === 1 ? name : `${name}-${n}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fileSystemError(e, root, rootFlag);
    }
  }
  throw inputError(`${rootFlag} ${root}: ${name} and 999 others like it exist already; clean up or choose another directory`);
}

function fileSystemError(e: unknown, root: string, flag: string): Error {
  // mkdir -p onto a file says EEXIST: for a folder to be made there, that is "not a directory".
  if ((e as NodeJS.ErrnoException).code === 'EEXIST') return inputError(`${flag} ${displayPath(root)}: is not a directory`);
  return fsError(e, root, flag);
}

/**
 * Whether a folder could be made and written at `root`, asked before any work (a fetch, a build,
 * a boot) without making anything: the nearest existing ancestor must be a directory this
 * process may write. A read-only mount or a file in the way is then said first, in one line.
 */
export async function checkWritableRoot(root: string, flag: string): Promise<void> {
  let dir = resolve(root);
  for (;;) {
    const st = await stat(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw fileSystemError(e, root, flag);
    });
    if (st) {
      if (!st.isDirectory()) throw inputError(`${flag} ${displayPath(root)}: is not a directory (or a part of it is a file)`);
      await access(dir, constants.W_OK).catch((e: unknown) => {
        throw fileSystemError(e, root, flag);
      });
      return;
    }
    if (dirname(dir) === dir) return;
    dir = dirname(dir);
  }
}
