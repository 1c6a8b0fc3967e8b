/**
 * `emuflock pipeline gitlab-history`: one history over CI runners, a job per source. Two stages:
 *
 *   measure   one job per shard of the sources: `emuflock history CASE SOURCES --shard I/N`,
 *             which builds and boots only its sources (adaptive repetitions included: a source's
 *             run is whole in one job) and keeps its history folder as an artifact;
 *   history   `emuflock merge-history` joins them, then `emuflock history --resume` finds the
 *             steps, boots each step's two sources side by side, bisects, and writes the report;
 *             its exit 1 on an open regression fails the pipeline, the report still published.
 *
 * The jobs name the sources as the user did; each job pins them when it starts (a suite to its
 * version, a revision to its commit), and merge-history refuses shards that pinned differently.
 */
import { inputError } from '../core/errors.js';
import { printable } from '../core/printable.js';
import { shellQuote } from '../core/shell-quote.js';
import type { LoadedCase } from '../case/schema.js';
import { defaultSetup, jobContext, projectCacheDir, type GeneratedPipeline, type GitlabJob } from './gitlab.js';
import { runnerTags } from './runner-tags.js';

/** The history's sources as `emuflock history` takes them. */
export interface HistorySourceArgs {
  sources: string[];
  repo?: string;
  revs: string[];
  range?: string;
  every: number;
}

export interface GitlabHistoryOptions {
  /** Jobs in the measure stage; default one per named source (required with a range). */
  shards?: number;
  tcgTag?: string;
  variantsFile?: string;
  bisect: boolean;
  setup?: string[];
  cli?: string;
}

export const mergedHistoryDir = 'results/history';

export function gitlabHistoryPipeline(casePath: string, loaded: LoadedCase, src: HistorySourceArgs, opts: GitlabHistoryOptions): GeneratedPipeline {
  // Quoted, a line break would still run nothing, but it names no source: said now, not in a job.
  for (const value of [...src.sources, ...src.revs, src.repo ?? '', src.range ?? '']) {
    if (/[\p{Cc}]/u.test(value)) throw inputError(`pipeline gitlab-history: "${printable(value, 60)}" holds a control character (a line break, a tab); a source, revision or path named in a CI job cannot`);
  }
  const named = src.sources.length + src.revs.length;
  if (src.range && !opts.shards) throw inputError('pipeline gitlab-history: --range names a number of commits known only to git; give --shards N');
  if (!src.range && named < 2) throw inputError(`pipeline gitlab-history: name at least two sources (--source, --rev, --range); got ${named}`);
  const shards = opts.shards ?? named;
  if (!src.range && shards > named) throw inputError(`--shards ${shards}: the history names ${named} sources; use at most ${named} shards`);
  const ctx = jobContext(runnerTags(loaded.spec, opts.tcgTag), opts);
  const sourceArgs = [
    ...src.sources.flatMap((s) => ['--source', s]),
    ...(src.repo ? ['--repo', src.repo] : []),
    ...src.revs.flatMap((r) => ['--rev', r]),
    ...(src.range ? ['--range', src.range, '--every', String(src.every)] : []),
  ];
  const measure: Record<string, GitlabJob> = {};
  for (let i = 1; i <= shards; i++) {
    measure[`measure:${i}`] = {
      stage: 'measure',
      ...ctx.withTags,
      needs: [],
      script: [ctx.command('history', casePath, ...sourceArgs, ...ctx.variantsOption, '--shard', `${i}/${shards}`, '--results', `results/shard-${i}`)],
      // Each job builds its own sources: their builds are its own cache, keyed by the shard.
      cache: [{ key: `emuflock-history-${loaded.name.replace(/[^A-Za-z0-9._-]/g, '_')}-shard-${i}-${ctx.runnerKind}`, paths: [ctx.cachePath('builds')] }, ctx.shared],
      artifacts: { when: 'always', paths: [`results/shard-${i}/`], expire_in: '1 week' },
    };
  }
  const history: GitlabJob = {
    stage: 'history',
    ...ctx.withTags,
    needs: Object.keys(measure),
    // A source that failed to build is a record too: analyse what there is.
    when: 'always',
    script: [
      // The glob is the shell's to expand: each shard's results folder holds one history.
      `${ctx.cli} merge-history results/shard-*/history-*/ --out ${shellQuote(mergedHistoryDir)}`,
      ctx.command('history', '--resume', mergedHistoryDir, ...ctx.variantsOption, ...(opts.bisect ? [] : ['--no-bisect'])),
    ],
    cache: [{ ...ctx.shared, policy: 'pull' }],
    artifacts: { when: 'always', paths: [`${mergedHistoryDir}/`], expire_in: '30 days' },
  };
  const notes = src.repo ? [`--repo ${src.repo}: the jobs read this path on the runners; clone the repository there (or give a path inside the project)`] : [];
  return {
    pipeline: {
      stages: ['measure', 'history'],
      variables: { XDG_CACHE_HOME: `$CI_PROJECT_DIR/${projectCacheDir}` },
      default: { before_script: opts.setup ?? defaultSetup },
      ...measure,
      history,
    },
    notes,
  };
}
