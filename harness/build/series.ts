import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { projectRoot } from '../paths.js';

export interface Patch {
  name: string;
  path: string;
  sha256: string;
}

/** An ordered set of patches: patches/<name>/series lists them in quilt order. */
export interface Series {
  name: string;
  dir: string;
  patches: Patch[];
}

export function patchesRoot(): string {
  return process.env.EMUFLOCK_PATCHES ?? join(projectRoot(), 'patches');
}

export async function loadSeries(name: string, root = patchesRoot()): Promise<Series> {
  const dir = join(root, name);
  const seriesFile = join(dir, 'series');
  let text: string;
  try {
    text = await readFile(seriesFile, 'utf8');
  } catch {
    const known = await listSeries(root);
    throw inputError(`no patch series "${name}": ${seriesFile} does not exist (known: ${known.join(', ') || 'none'})`);
  }
  const patches: Patch[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    // quilt syntax: one patch per line, "#" comments, an optional "-pN" we do not need.
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const file = line.split(/\s+/)[0]!;
    const path = join(dir, file);
    const body = await readFile(path).catch(() => {
      throw inputError(`${seriesFile}:${i + 1}: ${file}: no such patch file`);
    });
    patches.push({ name: file, path, sha256: createHash('sha256').update(body).digest('hex') });
  }
  if (patches.length === 0) throw inputError(`${seriesFile}: lists no patches`);
  return { name, dir, patches };
}

export async function listSeries(root = patchesRoot()): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}
