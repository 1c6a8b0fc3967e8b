import { EmuflockError, environmentError, inputError } from './errors.js';
import { displayPath } from './display-path.js';

/**
 * A file system error on a path emuflock was given or chose (results, TMPDIR, an output folder,
 * a lock, the journal) as one line: the path (after `flag`, when a flag named it), what is wrong
 * and what to do. The host's state (permissions, a read-only mount, a full disk) is an
 * environment error (exit 3); a path that names the wrong thing is an input error (exit 2). An
 * errno this table does not know stays the error it was, so a real bug still shows its stack.
 */
export function fsError(e: unknown, path: string, flag?: string): Error {
  if (e instanceof EmuflockError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  const entry = code ? reasons[code] : undefined;
  if (!entry) return e as Error;
  const [kind, why] = entry;
  const where = `${flag ? `${flag} ` : ''}${displayPath(path)}`;
  return (kind === 'env' ? environmentError : inputError)(`${where}: ${why}`);
}

/** Whether an error is one fsError words (so callers can tell a user's path from a bug). */
export function isFsError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code !== undefined && code in reasons;
}

const reasons: Record<string, ['input' | 'env', string]> = {
  ENOENT: ['input', 'no such file or directory'],
  ENOTDIR: ['input', 'is not a directory (or a part of the path is a file)'],
  EISDIR: ['input', 'is a directory, not a file'],
  EEXIST: ['input', 'exists already, and is not what emuflock expected there'],
  ENAMETOOLONG: ['input', 'the path is too long'],
  ELOOP: ['input', 'a symbolic link loop'],
  ENOTEMPTY: ['input', 'a folder that is not empty'],
  EXDEV: ['input', 'is on another file system than the folder it belongs in; choose a path beside it'],
  EINVAL: ['input', 'not a path emuflock can write (a special file?)'],
  ESPIPE: ['input', 'not a regular file (a pipe or a terminal)'],
  EACCES: ['env', 'permission denied; fix its permissions or choose another path'],
  EPERM: ['env', 'operation not permitted; fix its permissions or choose another path'],
  EROFS: ['env', 'is on a read-only file system; choose a writable path'],
  ENOSPC: ['env', 'no space left on the device; free some space (or choose another disk) and run again'],
  EDQUOT: ['env', 'disk quota exceeded; free some space and run again'],
  EMFILE: ['env', 'too many open files; raise the open-file limit (ulimit -n)'],
  EIO: ['env', 'an I/O error; check the disk'],
  EBUSY: ['env', 'busy (a mount point or in use); choose another path'],
};
