/**
 * `emuflock pipeline gitlab`: cases + options → a .gitlab-ci.yml, as a plain object (pure; the
 * writer turns it into YAML). Three stages:
 *
 *   build   one job per built variant: `emuflock build NAME`, the build cache kept in a GitLab
 *           cache keyed by the variant's recipe, the binaries handed on as artifacts;
 *   run     one job per shard: `emuflock run --shard I/N CASE... --results results/shard-I`;
 *   report  merge the shards, write the report, then `emuflock compare` as the regression
 *           gate, its artifacts (report, junit.xml) kept even when the gate fails.
 */
import { assertShardable, casePoints, planTrials } from '../case/matrix.js';
import { variantName, type LoadedCase } from '../case/schema.js';
import { systemVariantName } from '../variants/system-variant.js';
import { inputError } from '../core/errors.js';
import { runnerTags } from './runner-tags.js';
import { shellLine, shellQuote } from '../core/shell-quote.js';

/** Where the jobs keep emuflock's cache ($XDG_CACHE_HOME): GitLab caches only paths in the project. */
export const projectCacheDir = '.emuflock-cache';
export const mergedRunDir = 'results/merged';

export interface PipelineCase {
  /** The case file as the jobs name it: relative to the repository root. */
  path: string;
  loaded: LoadedCase;
}

/** A shared variant (patches/variants.yaml) the cases use, with its cache key (variant-cache-key.ts). */
export interface BuiltVariant {
  name: string;
  /** The guest architecture it is built for (its target). */
  arch: string;
  cacheKey: string;
}

export interface GitlabOptions {
  shards: number;
  /** Runner tag for TCG jobs (they run anywhere emuflock is set up); none by default. */
  tcgTag?: string;
  /** The shared variants file as the jobs name it, when not patches/variants.yaml. */
  variantsFile?: string;
  /** Prepares a job: packages present, node_modules and dist/ current. */
  setup?: string[];
  /** How jobs call emuflock. */
  cli?: string;
}

export interface GitlabJob {
  stage: 'build' | 'run' | 'report' | 'measure' | 'history';
  tags?: string[];
  needs: string[];
  when?: 'always';
  script: string[];
  cache?: { key: string; paths: string[]; policy?: 'pull' }[];
  artifacts?: { when?: 'always'; paths: string[]; reports?: { junit: string }; expire_in: string };
}

export type GitlabPipeline = {
  stages: string[];
  variables: Record<string, string>;
  default: { before_script: string[] };
} & Record<string, unknown>;

export interface GeneratedPipeline {
  pipeline: GitlabPipeline;
  /** Things the user should know about the generated pipeline, one line each. */
  notes: string[];
}

export const defaultSetup = ['make build'];
export const defaultCli = 'node dist/harness/cli.js';

export function gitlabPipeline(cases: PipelineCase[], built: BuiltVariant[], opts: GitlabOptions): GeneratedPipeline {
  if (cases.length === 0) throw inputError('name at least one case file, e.g. emuflock pipeline gitlab cases/smoke.yaml');
  const loaded = cases.map((c) => c.loaded);
  if (opts.shards > 1) assertShardable(loaded, '--shards');
  const planned = planTrials(loaded).trials.length;
  if (opts.shards > planned) throw inputError(`--shards ${opts.shards}: the cases plan only ${planned} trials; use at most ${planned} shards`);
  const ctx = jobContext(commonTags(cases, opts.tcgTag), opts);
  const notes: string[] = [];
  const builds = buildJobs(builtVariantsOf(cases, built, notes), ctx);
  const runs = runJobs(cases.map((c) => c.path), Object.keys(builds), opts.shards, ctx);
  const comparable = loaded.some((c) => c.spec.variants.length > 1 || casePoints(c).length > 1);
  if (!comparable) notes.push('no case has two variants or two points: the report job has nothing to compare, so no regression gate');
  return {
    pipeline: {
      stages: ['build', 'run', 'report'],
      variables: { XDG_CACHE_HOME: `$CI_PROJECT_DIR/${projectCacheDir}` },
      default: { before_script: opts.setup ?? defaultSetup },
      ...builds,
      ...runs,
      report: reportJob(Object.keys(runs), comparable, ctx),
    },
    notes,
  };
}

/** What every job shares: the runner's tags, the command that calls emuflock, the caches. */
export interface JobContext {
  withTags: { tags?: string[] };
  runnerKind: string;
  cli: string;
  command: (...args: string[]) => string;
  variantsOption: string[];
  cachePath: (what: string) => string;
  /** Sources (needed to work out a build key), guest assets and ccache, shared by every job on this kind of runner; only build jobs write it back. */
  shared: { key: string; paths: string[] };
}

export function jobContext(tags: string[], opts: Pick<GitlabOptions, 'cli' | 'variantsFile'>): JobContext {
  const cli = opts.cli ?? defaultCli;
  const runnerKind = tags.join('-') || 'untagged';
  const cachePath = (what: string) => `${projectCacheDir}/emuflock/${what}/`;
  return {
    withTags: tags.length > 0 ? { tags } : {},
    runnerKind,
    cli,
    // `cli` is emuflock's own command (shell words); everything after it is quoted, one word each.
    command: (...args: string[]) => `${cli} ${shellLine(args)}`,
    variantsOption: opts.variantsFile ? ['--variants', opts.variantsFile] : [],
    cachePath,
    shared: { key: `emuflock-shared-${runnerKind}`, paths: ['sources', 'assets', 'ccache'].map(cachePath) },
  };
}

function buildJobs(variants: ReturnType<typeof builtVariantsOf>, ctx: JobContext): Record<string, GitlabJob> {
  const jobs: Record<string, GitlabJob> = {};
  for (const v of variants) {
    jobs[`build:${v.variant.name}${v.archCount > 1 ? `:${v.arch}` : ''}`] = {
      stage: 'build',
      ...ctx.withTags,
      needs: [],
      script: [ctx.command('build', ...ctx.variantsOption, '--arch', v.arch, v.variant.name)],
      // The key names the runner kind too: emuflock's build key does not say which host
      // architecture the binary was compiled for.
      cache: [{ key: `emuflock-build-${v.variant.name}-${v.variant.cacheKey}-${ctx.runnerKind}`, paths: [ctx.cachePath('builds')] }, ctx.shared],
      artifacts: { paths: [ctx.cachePath('builds')], expire_in: '1 day' },
    };
  }
  return jobs;
}

function runJobs(casePaths: string[], buildJobs: string[], shards: number, ctx: JobContext): Record<string, GitlabJob> {
  const jobs: Record<string, GitlabJob> = {};
  for (let i = 1; i <= shards; i++) {
    jobs[shards > 1 ? `run:shard-${i}` : 'run'] = {
      stage: 'run',
      ...ctx.withTags,
      needs: buildJobs,
      script: [ctx.command('run', ...ctx.variantsOption, ...(shards > 1 ? ['--shard', `${i}/${shards}`] : []), ...casePaths, '--results', `results/shard-${i}`)],
      cache: [{ ...ctx.shared, policy: 'pull' }],
      // A failed trial fails the job (exit 1), and its journal is the evidence: keep it.
      artifacts: { when: 'always', paths: [`results/shard-${i}/`], expire_in: '1 week' },
    };
  }
  return jobs;
}

function reportJob(runJobs: string[], comparable: boolean, ctx: JobContext): GitlabJob {
  return {
    stage: 'report',
    ...ctx.withTags,
    needs: runJobs,
    // Shards whose trials failed still hold the others: report what there is.
    when: 'always',
    script: [
      // The glob is the shell's to expand: it stays unquoted.
      `${ctx.cli} merge results/shard-*/*/ --out ${shellQuote(mergedRunDir)}`,
      // The report comes first, so that a regression (compare exits 1) still publishes it.
      ctx.command('report', mergedRunDir),
      ...(comparable ? [ctx.command('compare', mergedRunDir)] : []),
    ],
    artifacts: { when: 'always', paths: [`${mergedRunDir}/`], reports: { junit: `${mergedRunDir}/report/junit.xml` }, expire_in: '30 days' },
  };
}

/** One runner kind for the whole pipeline: shards of one run must measure on like machines. */
function commonTags(cases: PipelineCase[], tcgTag: string | undefined): string[] {
  const [first, ...rest] = cases.map((c) => ({ path: c.path, tags: runnerTags(c.loaded.spec, tcgTag) }));
  for (const other of rest) {
    if (other.tags.join(',') !== first!.tags.join(',')) {
      throw inputError(
        `${other.path}: needs runners tagged [${other.tags.join(', ')}], ${first!.path} [${first!.tags.join(', ')}]; one pipeline runs on one kind of runner: generate one per kind`,
      );
    }
  }
  return first!.tags;
}

/** The shared variants the cases name, once per guest architecture; inline ones get a note. */
function builtVariantsOf(cases: PipelineCase[], built: BuiltVariant[], notes: string[]) {
  const wanted = new Map<string, { variant: BuiltVariant; arch: string }>();
  for (const c of cases) {
    for (const v of c.loaded.spec.variants) {
      if (v === systemVariantName) continue;
      if (typeof v !== 'string') {
        notes.push(`${c.path}: inline variant ${variantName(v)} is built by each run job; define it in patches/variants.yaml to build it once`);
        continue;
      }
      const variant = built.find((b) => b.name === v && b.arch === c.loaded.spec.arch);
      if (!variant) throw new Error(`no cache key for variant ${v} (${c.loaded.spec.arch})`);
      wanted.set(`${v} ${c.loaded.spec.arch}`, { variant, arch: c.loaded.spec.arch });
    }
  }
  const archs = (name: string) => [...wanted.values()].filter((w) => w.variant.name === name).length;
  return [...wanted.values()].map((w) => ({ ...w, archCount: archs(w.variant.name) }));
}
