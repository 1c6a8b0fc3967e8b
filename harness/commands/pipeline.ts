import { Command, InvalidArgumentError, Option } from 'commander';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { printable } from '../core/printable.js';
import { shellLine } from '../core/shell-quote.js';
import { inputError } from '../core/errors.js';
import { textTable } from '../core/text-table.js';
import type { BuiltVariant, GitlabPipeline, PipelineCase } from '../pipeline/gitlab.js';
import type { CliIo } from './cli-io.js';
import { sourceListOptions, variantsFileOption } from './cli-options.js';

function shardCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number of shards, 1 to 1000');
  return n;
}

function runnerTag(value: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(value)) throw new InvalidArgumentError('expected a runner tag: letters, digits, ".", "_" and "-"');
  return value;
}

/** `emuflock merge` and `emuflock pipeline gitlab`: one run spread over machines, and back. */
export function registerPipelineCommands(program: Command, io: CliIo): void {
  program
    .command('merge')
    .description('combine the shards of one run (emuflock run --shard I/N, e.g. on several CI runners) into one run directory')
    .argument('<run...>', 'run directories of the shards, e.g. results/shard-*/*/')
    .option('--out <dir>', 'the merged run directory (default: results/<run-id>-merged)')
    .addHelpText(
      'after',
      '\nExamples:\n  emuflock merge results/shard-1/20261126-045118-smoke results/shard-2/20261126-045121-smoke --out results/merged\n  emuflock compare results/merged && emuflock report results/merged\n\n' +
        'The runs must share case files (sha256), seed and shard count, and run the same build of each variant.\n' +
        'A trial recorded twice is kept once (the first given); every trial keeps the host it ran on.',
    )
    .action(async (runs: string[], opts: { out?: string }) => {
      const { mergeRunDirs } = await import('../journal/merge.js');
      const { shardLabel } = await import('../case/matrix.js');
      const merged = await mergeRunDirs(runs, { argv: ['emuflock', ...process.argv.slice(2)], warn: io.log, ...(opts.out ? { out: opts.out } : {}) });
      for (const note of merged.notes) io.log(note);
      const rows = merged.manifest.merged!.sources.map((s) => [io.shown(s.dir), s.shard ? shardLabel(s.shard) : '-', s.hosts.join(', ') || '-', String(s.trials)]);
      process.stdout.write(textTable(['run', 'shard', 'hosts', 'trials'], rows) + '\n');
      process.stdout.write(`\nmerged: ${merged.observations.length} of ${merged.manifest.trials} planned trials in ${io.shown(merged.dir)}\n`);
    });

  const pipelineCommand = program.command('pipeline').description('generate a CI pipeline that runs cases (or a history) on CI runners');
  pipelineCommand
    .command('gitlab')
    .description('write a .gitlab-ci.yml: a build job per built variant, a run job per shard, a report job that merges and gates on compare')
    .argument('<case...>', 'case files (YAML) inside the repository, e.g. cases/smoke.yaml')
    .addOption(new Option('--shards <n>', 'split the trials over this many run jobs (runners)').argParser(shardCount).default(1))
    .addOption(new Option('--tcg-tag <tag>', 'runner tag for TCG cases (KVM cases get [arch, kvm])').argParser(runnerTag))
    .addOption(variantsFileOption())
    .option('-o, --output <file>', 'where to write the pipeline; - for standard output', '.gitlab-ci.yml')
    .addHelpText(
      'after',
      '\nExamples:\n  emuflock pipeline gitlab cases/smoke.yaml --shards 2\n  emuflock pipeline gitlab cases/disks-1000.yaml --shards 4 --tcg-tag emuflock -o .gitlab-ci.yml\n\n' +
        'Case and variants files are named relative to the output file\'s folder, the repository root where GitLab runs the jobs.',
    )
    .action(async (files: string[], opts: { shards: number; tcgTag?: string; variants?: string; output: string }) => {
      const { loadCase } = await import('../case/load.js');
      const { caseVariants } = await import('../case/case-variants.js');
      const { systemVariantName } = await import('../variants/system-variant.js');
      const { variantCacheKey } = await import('../pipeline/variant-cache-key.js');
      const { gitlabPipeline } = await import('../pipeline/gitlab.js');
      const root = opts.output === '-' ? process.cwd() : dirname(resolve(opts.output));
      const cases: PipelineCase[] = [];
      for (const f of files) cases.push({ path: insideProject(f, root), loaded: await loadCase(f) });
      const built: BuiltVariant[] = [];
      for (const c of cases) {
        for (const def of await caseVariants([c.loaded], opts.variants)) {
          if (def === systemVariantName) continue;
          built.push({ name: def.name, arch: c.loaded.spec.arch, cacheKey: await variantCacheKey(def, c.loaded.spec.arch) });
        }
      }
      const { pipeline, notes } = gitlabPipeline(cases, built, {
        shards: opts.shards,
        ...(opts.tcgTag ? { tcgTag: opts.tcgTag } : {}),
        ...(opts.variants ? { variantsFile: insideProject(opts.variants, root) } : {}),
      });
      for (const note of notes) io.log(note);
      await emitPipeline(pipeline, opts.output, io);
    });

  sourceListOptions(
    pipelineCommand
      .command('gitlab-history')
      .description('write a .gitlab-ci.yml for one history: a measure job per source (emuflock history --shard), then a job that merges, finds the steps, bisects and reports')
      .argument('<case>', 'the case file (YAML) inside the repository'),
    { range: true, repoHelp: 'a QEMU git repository on the runners, for --rev and --range (with --range, give --shards)' },
  )
    .addOption(new Option('--shards <n>', 'measure jobs (default: one per --source and --rev)').argParser(shardCount))
    .addOption(new Option('--tcg-tag <tag>', 'runner tag for a TCG case (a KVM case gets [arch, kvm])').argParser(runnerTag))
    .option('--no-bisect', 'the last job does not bisect the steps it finds')
    .addOption(variantsFileOption())
    .option('-o, --output <file>', 'where to write the pipeline; - for standard output', '.gitlab-ci.yml')
    .addHelpText(
      'after',
      '\nExample:\n  emuflock pipeline gitlab-history cases/drain-10.2.yaml --source debian:bookworm --source debian:trixie --source debian:sid\n\n' +
        'The last job runs emuflock merge-history, then emuflock history --resume: its exit 1 on an open regression fails the\n' +
        'pipeline, and the history folder (report, trend charts) is kept either way.',
    )
    .action(async (file: string, opts: HistoryPipelineCliOptions) => {
      const { loadCase } = await import('../case/load.js');
      const { gitlabHistoryPipeline } = await import('../pipeline/gitlab-history.js');
      const root = opts.output === '-' ? process.cwd() : dirname(resolve(opts.output));
      const { pipeline, notes } = gitlabHistoryPipeline(
        insideProject(file, root),
        await loadCase(file),
        { sources: opts.source, revs: opts.rev, every: opts.every, ...(opts.repo ? { repo: opts.repo } : {}), ...(opts.range ? { range: opts.range } : {}) },
        {
          bisect: opts.bisect,
          ...(opts.shards ? { shards: opts.shards } : {}),
          ...(opts.tcgTag ? { tcgTag: opts.tcgTag } : {}),
          ...(opts.variants ? { variantsFile: insideProject(opts.variants, root) } : {}),
        },
      );
      for (const note of notes) io.log(note);
      await emitPipeline(pipeline, opts.output, io);
    });
}

interface HistoryPipelineCliOptions {
  source: string[];
  repo?: string;
  rev: string[];
  range?: string;
  every: number;
  shards?: number;
  tcgTag?: string;
  bisect: boolean;
  variants?: string;
  output: string;
}

/** The pipeline to standard output (`-o -`) or to its file, headed by the command that made it. */
async function emitPipeline(pipeline: GitlabPipeline, output: string, io: CliIo): Promise<void> {
  const { pipelineYaml, writePipeline } = await import('../pipeline/write.js');
  const generatedBy = printable(shellLine(['emuflock', ...process.argv.slice(2)]), 2000);
  if (output === '-') {
    process.stdout.write(pipelineYaml(pipeline, generatedBy));
    return;
  }
  if (await isDirectory(output)) throw inputError(`-o ${printable(output)}: is a directory; name the pipeline file, e.g. ${join(output, '.gitlab-ci.yml')}`);
  await writePipeline(output, pipeline, generatedBy);
  const jobs = Object.keys(pipeline).filter((k) => !['stages', 'variables', 'default'].includes(k));
  process.stdout.write(`wrote ${io.shown(resolve(output))}: ${jobs.length} jobs (${jobs.join(', ')})\n`);
}

/** The jobs run in a checkout of the repository: every file they name must be inside it. */
function insideProject(file: string, root: string): string {
  // A job script is lines of shell: a name with a line break in it would be two commands.
  if (/[\p{Cc}]/u.test(file)) throw inputError(`${printable(file)}: a file name with control characters (line breaks, tabs) cannot be named in a CI job; rename it`);
  const rel = relative(root, resolve(file));
  if (rel.startsWith('..') || isAbsolute(rel)) throw inputError(`${file}: outside ${root}, where the pipeline runs; CI jobs only see the repository's files`);
  return rel;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
