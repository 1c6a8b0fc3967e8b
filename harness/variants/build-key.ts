import { createHash } from 'node:crypto';
import type { Series } from './series.js';
import type { SourceTree } from './source-repo.js';

/** Bumped when the way emuflock builds changes, so old binaries are not taken for new ones. */
const recipeVersion = 1;

export interface BuildRecipe {
  source: SourceTree;
  series: Series[];
  /** Every configure flag, emuflock's base flags included. */
  configure: string[];
  targets: string[];
  /**
   * The devices file of a target built with only chosen devices, by target ("s390x-softmmu"),
   * written into the work tree before configuring (devices.ts).
   */
  devices?: Record<string, string>;
  /**
   * Added to configure's and ninja's environment (e.g. PYTHONPATH for a newer meson). Not part
   * of the key: it decides how the build runs, not what it builds.
   */
  env?: Record<string, string>;
}

/**
 * Same key, same binary: the source's identity, every patch's bytes in order, the configure
 * flags, the targets and their devices files. Series names are included too, so a renamed
 * series is a new build only in name, never a stale one.
 */
export function buildKey(r: BuildRecipe): string {
  const identity = {
    recipeVersion,
    source: r.source.id,
    commit: r.source.commit,
    series: r.series.map((s) => ({ name: s.name, patches: s.patches.map((p) => p.sha256) })),
    configure: r.configure,
    targets: r.targets,
    devices: r.devices,
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
}
