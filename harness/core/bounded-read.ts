import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { EmuflockError, inputError } from './errors.js';
import { displayPath } from './display-path.js';
import { fsError } from './fs-error.js';

export interface BoundedReadOptions {
  /** The most bytes the input may hold: more is refused, never read. */
  maxBytes: number;
  /** Named in messages: "a case file", "a journal". */
  what: string;
  /** A named pipe is read too (an mbox piped in); otherwise it is refused, as a device is. */
  allowPipe?: boolean;
  /** How messages name the path (default: displayPath). */
  shown?: string;
}

/**
 * Reads a user's input whole, but only a regular file (or a pipe where one is meant) of at most
 * `maxBytes`: a FIFO nobody writes would hang the command, /dev/zero would fill memory, and a
 * journal linked to either would do the same under `--resume`. The file is opened non-blocking
 * and checked again on its descriptor, so one swapped in after the first look is refused too.
 */
export async function readBounded(path: string, opts: BoundedReadOptions): Promise<Buffer> {
  const shown = opts.shown ?? displayPath(path);
  if (path === '') throw inputError(`${shown}: name a file`);
  const first = await stat(path).catch((e: NodeJS.ErrnoException) => {
    // Reading names a file: "no such file" (a folder would have been found).
    if (e.code === 'ENOENT') throw inputError(`${shown}: no such file`);
    if (e.code === 'ENOTDIR') throw inputError(`${shown}: no such file (a part of the path is a file)`);
    throw withShown(fsError(e, path), shown, path);
  });
  refuseKind(first, shown, opts);
  const handle = await open(path, constants.O_RDONLY | (first.isFIFO() ? 0 : constants.O_NONBLOCK)).catch((e: unknown) => {
    throw withShown(fsError(e, path), shown, path);
  });
  try {
    const st = await handle.stat();
    refuseKind(st, shown, opts);
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > opts.maxBytes) throw tooLarge(shown, opts);
      chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    throw withShown(fsError(e, path), shown, path);
  } finally {
    await handle.close();
  }
}

function refuseKind(st: import('node:fs').Stats, shown: string, opts: BoundedReadOptions): void {
  if (st.isDirectory()) throw inputError(`${shown}: is a directory, not a file`);
  if (st.isFIFO() && !opts.allowPipe) throw inputError(`${shown}: is a named pipe, not a regular file; ${opts.what} is read from a file`);
  if (!st.isFile() && !st.isFIFO()) throw inputError(`${shown}: is not a regular file (a device or a socket); ${opts.what} is read from a file`);
  if (st.isFile() && st.size > opts.maxBytes) throw tooLarge(shown, opts);
}

function tooLarge(shown: string, opts: BoundedReadOptions): Error {
  return inputError(`${shown}: larger than ${mib(opts.maxBytes)}, more than ${opts.what} holds; is it the right file?`);
}

function mib(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MiB` : `${Math.round(n / 1024)} KiB`;
}

/** fsError names the path as given; a caller's own way of showing it (escaped, relative) wins. */
function withShown(e: Error, shown: string, path: string): Error {
  const dp = displayPath(path);
  if (e instanceof EmuflockError && shown !== dp && e.message.startsWith(dp)) e.message = shown + e.message.slice(dp.length);
  return e;
}
