import { createHash } from 'node:crypto';
import { loadSeriesAllBases } from '../variants/series.js';
import type { VariantDef } from '../variants/variant-defs.js';

/**
 * The GitLab cache key of a built variant: its definition (source, series, flags) and the
 * bytes of every patch. The real build key also needs the source's version (Debian's, or a
 * commit), which only the runner can resolve; it need not be exact here, because the cache
 * holds emuflock's own content-addressed build directory: a key that stays the same while the
 * source moves on only means that emuflock builds the new binary beside the old one, and the
 * job pushes both.
 */
export async function variantCacheKey(def: VariantDef, arch: string): Promise<string> {
  const series = [];
  for (const name of def.series) {
    // Every release's version: which one applies is known only once the runner has the source.
    const versions = await loadSeriesAllBases(name);
    series.push({ name, patches: versions.flatMap((s) => s.patches.map((p) => p.sha256)) });
  }
  const identity = { source: def.source, series, configure: def.configure, arch };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
}
