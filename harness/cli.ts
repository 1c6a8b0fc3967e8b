#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { relative } from 'node:path';
import { loadCase, parseCase } from './case/load.js';
import { EmuflockError, inputError } from './errors.js';
import { ensureGuestAssets } from './guest/assets.js';
import { journalPath, readManifest } from './journal/run-dir.js';
import { resultsRoot } from './paths.js';
import { runCases } from './run/runner.js';
import { runSummary } from './run/summary.js';
import { emuflockVersion } from './version.js';
import { writeReport } from './report/index.js';
import { profileSummary } from './measure/profile/profile-summary.js';
import { registerBisectCommands } from './bisect/command.js';
import { fileURLToPath } from 'node:url';
import { loadVariantDefs, lookupVariants } from './build/variant-defs.js';
import { resolveVariants } from './build/resolve.js';
import { archNames, type ArchName } from './run/arch/index.js';
import { textTable } from './text-table.js';
import { compareRuns, defaultCompareOptions } from './compare/compare.js';
import { formatComparison } from './compare/format.js';
import { loadRun } from './compare/load.js';
import { phaseNames, type PhaseName } from './journal/observation.js';
import { defaultAdaptiveRule, type AdaptiveRule } from './run/adaptive.js';
import type { Shard } from './case/matrix.js';
import { registerPipelineCommands } from './pipeline/command.js';
import { registerDoctorCommand } from './limits/command.js';

const log = (line: string) => process.stderr.write(line + '\n');
// `emuflock ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const shown = (p: string) => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p));

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** "5" or "5%": a relative change in percent, as reviewers say it. */
function percent(value: string): number {
  const n = Number(value.replace(/%$/, ''));
  if (!(n > 0 && n < 1000)) throw new InvalidArgumentError('expected a percentage above 0, e.g. 5 or 5%');
  return n / 100;
}

/** "2/3": the second of three shards (`emuflock run --shard`). */
function shard(value: string): Shard {
  const m = value.match(/^(\d+)\/(\d+)$/);
  const [index, count] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || index < 1 || index > count) throw new InvalidArgumentError('expected I/N, the I-th of N shards (1 ≤ I ≤ N), e.g. 2/3');
  return { index, count };
}

function probability(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('expected a probability between 0 and 1, e.g. 0.01');
  return n;
}

/** Options shared by `run` (adaptive repetitions decide with them) and `compare`. */
function statisticsOptions(cmd: Command, defaults: { threshold: number; alpha: number; metric: PhaseName }, purpose: string): Command {
  return cmd
    .addOption(
      new Option('--threshold <pct>', `${purpose}relative change that matters, in percent`).argParser(percent).default(defaults.threshold, `${defaults.threshold * 100}%`),
    )
    .addOption(new Option('--alpha <p>', `${purpose}significance level of the rank test`).argParser(probability).default(defaults.alpha))
    .addOption(new Option('--metric <phase>', `${purpose}the phase compared`).choices(phaseNames).default(defaults.metric));
}

const program = new Command()
  .name('emuflock')
  .description('QEMU/KVM scale and patch-validation harness: boot guests with 1 to 4096 disks, time start-up by phase, compare QEMU variants.')
  .version(emuflockVersion)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

const runCommand = program
  .command('run')
  .description('boot every trial of the cases and append one Observation per trial to results/<run-id>/journal.jsonl')
  .argument('[case...]', 'case files (YAML), e.g. cases/smoke.yaml')
  .option('--results <dir>', 'results directory', undefined)
  .addOption(new Option('--seed <n>', 'seed of the trial order (default: the case\'s seed, else derived from its text)').argParser(integer))
  .option('--resume <run>', 'continue an interrupted run (results/<run-id>): skip the trials it already recorded')
  .option('--variants <file>', 'shared variant definitions (default: patches/variants.yaml)')
  .option('--qemu-src <path[@rev]>', 'build every non-system variant from this QEMU git checkout (at REV, or its working tree) or tarball')
  .option('--profile', 'record a perf profile of each QEMU and report its hottest symbols per phase')
  .addOption(new Option('--shard <i/n>', 'run only the I-th of N parts of the trials (on N machines); emuflock merge joins them').argParser(shard))
  .option('--no-preflight', 'boot every trial, even one that does not fit the host\'s limits (see emuflock doctor); without it such a trial is recorded refused-by-preflight');
statisticsOptions(runCommand, defaultAdaptiveRule, 'adaptive repetitions: ')
  .addHelpText(
    'after',
    '\n--threshold, --alpha and --metric decide adaptive repetitions (repetitions: {min, max} in a case):\n' +
      'a variant gets more trials while its comparison with the case\'s first variant is UNKNOWN.\n' +
      '\nExamples:\n  emuflock run cases/smoke.yaml\n  emuflock run cases/smoke.yaml cases/disks-1000.yaml --results /tmp/results\n  emuflock run --resume results/20261126-045118-smoke\n  emuflock run --shard 2/3 cases/smoke.yaml    # the second of three machines; then emuflock merge\n\nExit status: 0 all trials ok, 1 some trial failed, 2 bad input, 3 missing package.',
  )
  .action(async (files: string[], opts: RunCliOptions, cmd: Command) => {
    if (opts.resume && files.length > 0) throw inputError('give either case files or --resume RUN, not both');
    if (!opts.resume && files.length === 0) throw inputError('name at least one case file, e.g. emuflock run cases/smoke.yaml');
    let cases;
    let seed = opts.seed;
    let adaptive: AdaptiveRule = { metric: opts.metric, threshold: opts.threshold, alpha: opts.alpha };
    let shardOpt = opts.shard;
    if (opts.resume) {
      const given = (['threshold', 'alpha', 'metric'] as const).filter((o) => cmd.getOptionValueSource(o) === 'cli');
      if (given.length > 0) throw inputError(`--resume continues the run as it was started: drop --${given.join(', --')}`);
      if (opts.shard) throw inputError('--resume continues the run as it was started: drop --shard (the run records its shard)');
      const manifest = await readManifest(opts.resume);
      if (manifest.merged) throw inputError(`${opts.resume}: a merged run cannot be resumed; resume its shards and merge again`);
      shardOpt = manifest.shard;
      cases = manifest.cases.map((c) => parseCase(c.text, c.file, c.sha256));
      seed = manifest.seed;
      adaptive = manifest.adaptive ?? defaultAdaptiveRule;
    } else {
      // Every case is validated before anything is written or booted.
      cases = [];
      for (const f of files) cases.push(await loadCase(f));
    }
    const result = await runCases(cases, {
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
    });
    process.stdout.write(runSummary(result.observations, cases) + '\n');
    const profiles = profileSummary(result.observations);
    if (profiles) process.stdout.write('\n' + profiles + '\n');
    process.stdout.write(`\nresults: ${shown(journalPath(result.runDir))}\n`);
    // A report that cannot be written is a warning: the trials themselves are recorded.
    await writeReport(result.runDir, { warn: log }).then(
      (r) => process.stdout.write(`report:  ${shown(r.dir)}/report.html\n`),
      (e: Error) => log(`report not written: ${e.message} (retry with: emuflock report ${shown(result.runDir)})`),
    );
    const failed = result.observations.filter((o) => !o.warmup && o.outcome !== 'ok').length;
    if (failed > 0) {
      log(`${failed} trial${failed > 1 ? 's' : ''} did not end ok (see the failures column and the journal's error fields)`);
      process.exitCode = 1;
    }
  });

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

statisticsOptions(
  program
    .command('compare')
    .description('compare timings with confidence intervals: the variants of one run against a baseline, or two runs (old, new)')
    .argument('<run>', 'a run directory, results/<run-id> (the old run when two are given)')
    .argument('[other-run]', 'a second run directory: the new side')
    .option('--baseline <variant>', 'one run: the variant the others are held against (default: each case\'s first variant)'),
  defaultCompareOptions,
  '',
)
  .addHelpText(
    'after',
    '\nExamples:\n  emuflock compare results/20261126-045118-patch-review\n  emuflock compare results/20261126-045118-smoke results/20261127-101500-smoke --metric qemuInitMs\n' +
      '\nOnly trials that ended ok and are not warm-ups count; the output says how many were left out and why.\n' +
      'Exit status: 0 no point is SLOWER, 1 some point is SLOWER (a regression gate for CI), 2 bad input.',
  )
  .action(async (run: string, other: string | undefined, opts: { baseline?: string; threshold: number; alpha: number; metric: PhaseName }) => {
    if (other !== undefined && opts.baseline !== undefined) throw inputError('--baseline compares variants within one run; with two runs, each variant is compared with itself');
    const runs = [await loadRun(run, shown(run), log)];
    if (other !== undefined) runs.push(await loadRun(other, shown(other), log));
    const report = compareRuns(runs, {
      metric: opts.metric,
      threshold: opts.threshold,
      alpha: opts.alpha,
      ...(opts.baseline !== undefined ? { baseline: opts.baseline } : {}),
    });
    if (report.times.length === 0 && report.growth.length === 0) {
      throw inputError(`${shown(run)}: nothing to compare: the run has one variant and one disk count; name a second run (emuflock compare OLD NEW)`);
    }
    process.stdout.write(formatComparison(report) + '\n');
    if (report.regression) process.exitCode = 1;
  });

statisticsOptions(
  program
    .command('report')
    .description('write charts (PNG, SVG), report.md, report.html and junit.xml into results/<run-id>/report/, from the journal')
    .argument('<run>', 'a run directory, results/<run-id>')
    .option('--out <dir>', 'write here instead of <run>/report')
    .option('--log-log', 'draw the start-up chart on log-log axes (the slope is the growth exponent)')
    .option('--format <list>', 'only these outputs, comma-separated: png,svg,markdown,html,junit')
    .option('--baseline <variant>', 'the variant the others are held against (default: each case\'s first variant)'),
  defaultCompareOptions,
  '',
)
  .addHelpText(
    'after',
    '\nExamples:\n  emuflock report results/20261126-051305-seed-drain\n  emuflock report results/20261126-051305-seed-drain --log-log --format png,svg\n\n`emuflock run` writes the report itself at its end; this regenerates it, e.g. after --resume.',
  )
  .action(async (run: string, opts: { out?: string; logLog?: boolean; format?: string; baseline?: string; threshold: number; alpha: number; metric: PhaseName }) => {
    const result = await writeReport(run, {
      ...(opts.out ? { outDir: opts.out } : {}),
      ...(opts.logLog ? { logLog: true } : {}),
      ...(opts.format ? { formats: opts.format.split(',').map((f) => f.trim()) } : {}),
      compare: { metric: opts.metric, threshold: opts.threshold, alpha: opts.alpha, ...(opts.baseline ? { baseline: opts.baseline } : {}) },
      warn: log,
    });
    for (const note of result.notes) log(note);
    process.stdout.write(`report: ${shown(result.dir)} (${result.files.length} files)\n`);
  });

program
  .command('build')
  .description('build QEMU variants (source + patch series + configure flags) into the build cache, ~/.cache/emuflock/builds')
  .argument('<variant...>', 'variant names from patches/variants.yaml')
  .option('--variants <file>', 'shared variant definitions (default: patches/variants.yaml)')
  .option('--qemu-src <path[@rev]>', 'build from this QEMU git checkout (at REV, or its working tree) or tarball instead of Debian\'s source')
  .addOption(new Option('--arch <arch>', 'guest architecture (target)').default('s390x').choices(archNames))
  .addHelpText(
    'after',
    '\nExamples:\n  emuflock build fixed unfixed\n  emuflock build upstream --qemu-src ~/src/qemu@v7.2.0\n\nA variant whose build key (source, patch bytes, configure flags, targets) was built before is not rebuilt.',
  )
  .action(async (names: string[], opts: { variants?: string; qemuSrc?: string; arch: ArchName }) => {
    const defs = await loadVariantDefs(opts.variants);
    const wanted = lookupVariants(names, defs, 'emuflock build');
    const resolved = await resolveVariants(wanted, opts.arch, { log, ...(opts.qemuSrc ? { qemuSrc: opts.qemuSrc } : {}) });
    const rows = [...resolved.values()].map((v) => [v.record.name, v.record.buildKey, v.record.series.join('+') || '-', v.record.qemuVersion, shown(v.binary)]);
    process.stdout.write(textTable(['variant', 'build key', 'series', 'version', 'binary'], rows) + '\n');
  });

program
  .command('assets')
  .description('fetch and build the guest assets into ~/.cache/emuflock/assets: s390x, Debian\'s kernel + a busybox initramfs; x86_64, the bare-metal probe (gcc)')
  .addOption(new Option('--arch <arch>', 'guest architecture').default('s390x').choices(archNames))
  .addHelpText(
    'after',
    '\nExamples:\n  emuflock assets\n  emuflock assets --arch x86_64\n\nA second call reuses the cache (keyed by package versions, or the probe\'s sources and compiler) and takes milliseconds.',
  )
  .action(async (opts: { arch: ArchName }) => {
    const a = await ensureGuestAssets(opts.arch, log);
    const lines = a.initrd
      ? [`kernel: ${a.kernel}`, `  from ${a.kernelPackage} ${a.kernelVersion}`, `initrd: ${a.initrd}`, `  busybox-static ${a.busyboxVersion}`]
      : [`guest: ${a.kernel}`, `  ${a.kernelPackage} ${a.kernelVersion}`];
    process.stdout.write(`${lines.join('\n')}\n`);
  });

registerBisectCommands(program, fileURLToPath(import.meta.url), log);
registerPipelineCommands(program, { log, shown });
registerDoctorCommand(program);

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof EmuflockError) {
      log(`emuflock: ${e.message}`);
      process.exitCode = e.exitCode;
      return;
    }
    log(`emuflock: internal error (please report it with the command line): ${(e as Error)?.stack ?? String(e)}`);
    process.exitCode = 1;
  }
}

await main();
