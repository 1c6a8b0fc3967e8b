import { dir as tmpDir } from 'tmp-promise';
import { run } from '../core/exec.js';
import { applySeries } from '../variants/apply.js';
import type { Series } from '../variants/series.js';
import { gitIdentity, type SourceTree } from '../variants/source-repo.js';

/** What a series is applied onto: a variant's pristine source with the variant's own series. */
export interface Base {
  /** The variant's name, or the source's label when the base is a bare source. */
  name: string;
  source: SourceTree;
  series: Series[];
}

/**
 * Runs `work` in a throwaway git checkout of the base: the source's pristine commit, the base's
 * own series committed on top as one commit, so that `git am` and `git format-patch` see
 * exactly the tree the series will be built on. A shared clone borrows the cached source's
 * objects (3-way merges find the base's blobs there) and leaves the cache untouched.
 */
export async function withBaseTree<T>(base: Base, work: (tree: string, baseCommit: string) => Promise<T>): Promise<T> {
  const tmp = await tmpDir({ prefix: 'emuflock-base-', unsafeCleanup: true });
  const tree = `${tmp.path}/tree`;
  try {
    await run('git', ['clone', '-q', '--shared', '--no-checkout', base.source.repo, tree]);
    await run('git', ['-C', tree, ...gitIdentity, 'checkout', '-q', '--detach', base.source.commit]);
    if (base.series.length > 0) {
      await applySeries(tree, base.series);
      await run('git', ['-C', tree, ...gitIdentity, 'commit', '-q', '--no-verify', '-a', '-m', `base: ${base.series.map((s) => s.name).join(' + ')}`]);
    }
    const head = (await run('git', ['-C', tree, 'rev-parse', 'HEAD'])).trim();
    return await work(tree, head);
  } finally {
    await tmp.cleanup().catch(() => {});
  }
}
