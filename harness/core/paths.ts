import { homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Caches never live in the repository: sources, builds and guest assets are large and shared. */
export function cacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'emuflock');
}

export function assetsCacheDir(): string {
  return join(cacheRoot(), 'assets');
}

/** The repository (or installed package) root: the folder holding package.json. */
export function projectRoot(): string {
  // Compiled to dist/harness/core/paths.js, run from source as harness/core/paths.ts.
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${join('dist', 'harness')}`) ? resolve(here, '..', '..', '..') : resolve(here, '..', '..');
}

/** Where runs are written: `--results DIR`, else $EMUFLOCK_RESULTS, else ./results. */
export function resultsRoot(override?: string): string {
  return resolve(override ?? process.env.EMUFLOCK_RESULTS ?? 'results');
}
