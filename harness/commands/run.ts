import { Option, type Command } from 'commander';
import type { Shard } from '../case/matrix.js';
import type { LoadedCase } from '../case/schema.js';
import type { CliIo } from './cli-io.js';
import { integer, qemuSourceOption, shard, statisticsOptions, variantsFileOption } from './cli-options.js';
import { inputError } from '../core/errors.js';
import { resultsRoot } from '../core/paths.js';
import { defaultStatistics } from '../compare/statistics-defaults.js';
import type { AdaptiveRule } from '../run/schedule/adaptive.js';
import type { RunOptions, RunResult } from '../run/schedule/runner.js';
import type { OpenedRun } from '../journal/opened-run.js';
import { shellLine } from '../core/shell-quote.js';
import type { PhaseName } from '../record/phases.js';

/** `emuflock run`: boot the cases' trials, print the summary, write the report. */
export function registerRunCommand(program: Command, { log, shown }: CliIo): void {
  const runCommand = program
    .command('run')
    .description('boot every trial of the cases and append one Observation per trial to results/<run-id>/journal.jsonl')
    .argument('[case...]', 'case files (YAML), e.g. cases/smoke.yaml')
    .option('--results <dir>', 'results directory', undefined)
    .addOption(new Option('--seed <n>', 'seed of the trial order (default: the case\'s seed, else derived from its text)').argParser(integer))
    .option('--resume <run>', 'continue an interrupted run (results/<run-id>): skip the trials it already recorded; its seed, statistics and shard are the run\'s own')
    .addOption(variantsFileOption())
    .addOption(qemuSourceOption('every non-system variant'))
    .option('--profile', 'record a perf profile of each QEMU and report its hottest symbols per phase')
    .addOption(new Option('--shard <i/n>', 'run only the I-th of N parts of the trials (on N machines); emuflock merge joins them').argParser(shard))
    .option('--no-preflight', 'boot every trial, even one that does not fit the host\'s limits (see emuflock doctor); without it such a trial is recorded refused-by-preflight');
  statisticsOptions(runCommand, defaultStatistics, 'adaptive repetitions: ')
    .addHelpText(
      'after',
      '\n--threshold, --alpha and --metric decide adaptive repetitions (repetitions: {min, max} in a case):\n' +
        'a variant gets more trials while its comparison with the case\'s first variant is UNKNOWN.\n' +
        '\nExamples:\n  emuflock run cases/smoke.yaml\n  emuflock run cases/smoke.yaml cases/disks-1000.yaml --results /tmp/results\n  emuflock run --resume results/20261126-045118-smoke\n  emuflock run --shard 2/3 cases/smoke.yaml    # the second of three machines; then emuflock merge\n\nExit status: 0 all trials ok, 1 some trial failed, 2 bad input, 3 missing package.',
    )
    .action(async (files: string[], opts: RunCliOptions, cmd: Command) => {
      if (opts.resume && files.length > 0) throw inputError('give either case files or --resume RUN, not both');
      if (!opts.resume && files.length === 0) throw inputError('name at least one case file, e.g. emuflock run cases/smoke.yaml');
      const { loadCase, parseCase } = await import('../case/load.js');
      let cases;
      let seed = opts.seed;
      let adaptive: AdaptiveRule = { metric: opts.metric, threshold: opts.threshold, alpha: opts.alpha };
      let shardOpt = opts.shard;
      if (opts.resume) {
        // The seed is the run's (run.json): another would plan other trials into the same journal.
        const given = (['threshold', 'alpha', 'metric', 'seed'] as const).filter((o) => cmd.getOptionValueSource(o) === 'cli');
        if (given.length > 0) throw inputError(`--resume continues the run as it was started: drop --${given.join(', --')}`);
        if (opts.shard) throw inputError('--resume continues the run as it was started: drop --shard (the run records its shard)');
        const { readManifest } = await import('../journal/run-dir.js');
        const manifest = await readManifest(opts.resume);
        if (manifest.merged) throw inputError(`${opts.resume}: a merged run cannot be resumed; resume its shards and merge again`);
        shardOpt = manifest.shard;
        cases = manifest.cases.map((c) => parseCase(c.text, c.file, c.sha256));
        seed = manifest.seed;
        adaptive = manifest.adaptive ?? defaultStatistics;
      } else {
        // Every case is validated before anything is written or booted.
        cases = [];
        for (const f of files) cases.push(await loadCase(f));
      }
      await runAndReport(
        cases,
        {
          resultsRoot: resultsRoot(opts.results),
          argv: ['emuflock', ...process.argv.slice(2)],
          log,
          adaptive,
          ...(seed !== undefined ? { seed } : {}),
          ...(opts.resume ? { resumeDir: opts.resume } : {}),
          ...(opts.variants ? { variantsFile: opts.variants } : {}),
          ...(opts.qemuSrc ? { qemuSrc: opts.qemuSrc } : {}),
          ...(opts.profile ? { profile: true } : {}),
          ...(shardOpt ? { shard: shardOpt } : {}),
          ...(opts.preflight === false ? { preflight: false } : {}),
        },
        { log, shown },
      );
    });
}

/**
 * Boots the cases' trials, prints the run's summary and writes its report: what `emuflock run`
 * does once its options are read (and `emuflock talk` with the talk's cases). Returns the run
 * opened as its report read it (undefined when it could not be).
 */
export async function runAndReport(cases: LoadedCase[], options: RunOptions, { log, shown }: CliIo): Promise<RunResult & { run: OpenedRun | undefined }> {
  const { runCases } = await import('../run/schedule/runner.js');
  const { runSummary } = await import('../run/schedule/summary.js');
  const { profileSummary } = await import('../report/profile-summary.js');
  const { journalPath } = await import('../journal/run-dir.js');
  const { openedRun } = await import('../journal/opened-run.js');
  const { writeReport } = await import('../report/index.js');
  const result = await runCases(cases, options);
  process.stdout.write(runSummary(result.observations, cases) + '\n');
  // The run as its verdicts and report read it, from what the runner returned: only run.json is read.
  const run = Promise.resolve().then(() =>
    openedRun({ dir: result.runDir, label: shown(result.runDir), manifest: result.manifest, observations: result.observations, cases }),
  );
  const verdicts = await run.then(
    (r) => runVerdictsOf(r, options.adaptive ?? defaultStatistics),
    () => '', // nothing recorded: nothing to compare (the report says why)
  );
  if (verdicts) process.stdout.write('\n' + verdicts + '\n');
  const profiles = profileSummary(result.observations);
  if (profiles) process.stdout.write('\n' + profiles + '\n');
  process.stdout.write(`\nresults: ${shown(journalPath(result.runDir))}\n`);
  // A report that cannot be written is a warning: the trials themselves are recorded.
  await run.then((r) => writeReport(r)).then(
    (r) => process.stdout.write(`report:  ${shown(r.dir)}/report.html\n`),
    (e: Error) => log(`report not written: ${e.message} (retry with: ${shellLine(['emuflock', 'report', shown(result.runDir)])})`),
  );
  const failed = result.observations.filter((o) => !o.warmup && o.outcome !== 'ok').length;
  if (failed > 0) {
    log(`${failed} trial${failed > 1 ? 's' : ''} did not end ok (see the failures column and the journal's error fields)`);
    process.exitCode = 1;
  }
  return { ...result, run: await run.catch(() => undefined) };
}

/** The run's comparisons with each case's baseline, on the metric its adaptive rule decides on. */
async function runVerdictsOf(run: OpenedRun, rule: AdaptiveRule): Promise<string> {
  const { compareRuns } = await import('../compare/compare.js');
  const { runVerdicts } = await import('../compare/run-verdicts.js');
  return runVerdicts(compareRuns([run], { metric: rule.metric, threshold: rule.threshold, alpha: rule.alpha }));
}

interface RunCliOptions {
  profile?: boolean;
  results?: string;
  seed?: number;
  resume?: string;
  variants?: string;
  qemuSrc?: string;
  shard?: Shard;
  preflight: boolean;
  threshold: number;
  alpha: number;
  metric: PhaseName;
}
