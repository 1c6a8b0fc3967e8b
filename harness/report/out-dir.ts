/**
 * Where a report may be written, and how it replaces the previous one. `report --out DIR`
 * replaces DIR whole, so DIR must be emuflock's own: a new or empty directory, a report
 * emuflock wrote (it holds the marker file), or the run's own report/ folder. Never a file,
 * never the run directory or a folder holding it, never a user's folder with files in it.
 */
import { lstat, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { displayPath } from '../core/yaml-input.js';
import { inputError } from '../core/errors.js';
import { fsError } from '../core/fs-error.js';
import { pidAlive } from '../core/pid-lock.js';

/** Written into every report directory: what makes it safe to replace. */
export const reportMarker = '.emuflock-report';

export async function checkReportDir(dir: string, runDir: string, flag: string): Promise<void> {
  const rel = relative(dir, runDir);
  if (rel === '' || !(rel.startsWith('..') || rel.startsWith(sep))) {
    throw inputError(`${flag} ${displayPath(dir)}: is the run directory or holds it; the report replaces its folder whole, so give a folder of its own (default: ${displayPath(join(runDir, 'report'))})`);
  }
  // A link would make the swap replace the link, or write where it points: a folder outside
  // the one named, a dangling target, an old report elsewhere. Only a real folder is replaced.
  const link = await lstat(dir).catch(() => undefined);
  if (link?.isSymbolicLink()) throw inputError(`${flag} ${displayPath(dir)}: is a symbolic link; name the folder itself (or a new one)`);
  const s = await stat(dir).catch(() => undefined);
  if (!s) return;
  if (!s.isDirectory()) throw inputError(`${flag} ${displayPath(dir)}: is a file; the report is a folder: name a new or empty one`);
  if (dir === join(runDir, 'report')) return;
  const entries = await readdir(dir).catch((e: unknown) => {
    throw fsError(e, dir, flag);
  });
  if (entries.length > 0 && !entries.includes(reportMarker)) {
    throw inputError(`${flag} ${displayPath(dir)}: holds files emuflock did not write (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); the report replaces its folder whole: name a new or empty one`);
  }
}

/** Staging folders are named after their writer's pid, so that a killed writer's are found and removed. */
export function stagingDir(dir: string): string {
  return `${dir}.tmp-${process.pid}`;
}

/**
 * Moves the staged report into place. Another report of the same run may land at the same
 * moment: whichever renames last wins, and neither fails or leaves a folder behind.
 */
export async function swapIn(staging: string, dir: string): Promise<void> {
  for (let n = 0; ; n++) {
    try {
      await rename(staging, dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || n > 50) throw e;
    }
    const old = `${dir}.old-${process.pid}-${n}`;
    await rename(dir, old).catch(() => {});
    await rm(old, { recursive: true, force: true });
  }
}

/** Staging and swapped-out folders of report writers that died (SIGKILL) before cleaning up. */
export async function removeOrphans(dir: string): Promise<void> {
  const parent = dirname(dir);
  const pattern = new RegExp(`^${escapeRegExp(basename(dir))}\\.(?:tmp|old)-(\\d+)(?:-\\d+)?$`);
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const pid = Number(name.match(pattern)?.[1]);
    if (pid > 0 && !pidAlive(pid)) await rm(join(parent, name), { recursive: true, force: true });
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
