import { Command, Option } from 'commander';
import { count } from './cli-options.js';
import { relative } from 'node:path';
import { inputError } from '../core/errors.js';
import { resultsRoot } from '../core/paths.js';
import { phaseNames, type PhaseName } from '../record/phases.js';

/** `emuflock bisect` and the step command `git bisect run` calls back. */
export function registerBisectCommands(program: Command, cliPath: string, log: (line: string) => void): void {
  const stepCommand = [process.execPath, cliPath, 'bisect-step'];
  program
    .command('bisect')
    .description('find the commit that made a metric slow: calibrate on both ends, git bisect run, confirm the culprit')
    .option('--repo <path>', 'QEMU git repository (only read: emuflock bisects in its own clone)')
    .option('--good <rev>', 'a fast revision')
    .option('--bad <rev>', 'a slow revision, descendant of --good')
    .option('--case <file>', 'the case to measure each commit with (one point)')
    .addOption(new Option('--metric <phase>', 'what to bisect').choices(phaseNames).default('totalMs'))
    .addOption(new Option('--calibration-runs <n>', 'runs of each endpoint').argParser(count).default(5))
    .addOption(new Option('--runs <n>', 'first runs per step').argParser(count).default(3))
    .addOption(new Option('--max-runs <n>', 'runs of a commit at most; past --runs, each with one run of each end').argParser(count).default(7))
    .option('--paired', 'run the good and the bad end beside every run of every commit (3x the boots; for a host whose load changes within a step)')
    .addOption(new Option('--verify-runs <n>', 'fresh runs of the culprit and its parent each, interleaved').argParser(count).default(3))
    .option('--results <dir>', 'results directory')
    .option('--resume <dir>', 'continue an interrupted bisect (results/<id>-bisect-<case>)')
    .addHelpText(
      'after',
      '\nExamples:\n  emuflock bisect --repo ~/src/qemu --good v10.0.0 --bad v10.1.0 --case cases/history-10x-drain.yaml\n  emuflock bisect --resume results/20261207-014229-bisect-history-10x-drain\n\n' +
        'Each commit is built through the build cache (neighbouring commits rebuild incrementally) and classified\n' +
        'against the calibrated endpoints, or, when it straddles their midpoint (or with --paired), against the\n' +
        'ends run beside it: a host whose load changed since calibration moves all three alike. A commit that does\n' +
        'not build or boot is skipped (git bisect exit 125). The culprit must be slower than its parent, in\n' +
        'interleaved runs, by more than half of the regression.\n' +
        'Writes bisect.json (resumable state), journal.jsonl (every trial) and bisect.md.',
    )
    .action(async (o: { repo?: string; good?: string; bad?: string; case?: string; metric: PhaseName; calibrationRuns: number; runs: number; maxRuns: number; verifyRuns: number; paired?: boolean; results?: string; resume?: string }) => {
      const { bisect, resumeBisect } = await import('../bisect/driver.js');
      const result = o.resume
        ? await resumeBisect(o.resume, stepCommand, log)
        : await bisect({
            repo: required(o.repo, '--repo'),
            good: required(o.good, '--good'),
            bad: required(o.bad, '--bad'),
            caseFile: required(o.case, '--case'),
            metric: o.metric,
            runs: { calibration: o.calibrationRuns, step: o.runs, max: Math.max(o.maxRuns, o.runs), verify: o.verifyRuns, ...(o.paired ? { paired: true } : {}) },
            resultsRoot: resultsRoot(o.results),
            stepCommand,
            log,
          });
      const c = result.state.culprit!;
      process.stdout.write(`first slow commit: ${c.sha} ${c.subject}\n${c.confirmed ? 'confirmed' : 'NOT confirmed'}: ${c.evidence}\n`);
      process.stdout.write(`report: ${relative(process.cwd(), result.dir)}/bisect.md\n`);
      if (!c.confirmed) process.exitCode = 1;
    });

  program
    .command('bisect-step', { hidden: true })
    .description('one git bisect step (called by git bisect run)')
    .argument('<dir>')
    .action(async (dir: string) => {
      // Any failure of emuflock itself must stop git bisect (exit >= 128), never read as "slow".
      try {
        const { bisectStep } = await import('../bisect/driver.js');
        process.exitCode = await bisectStep(dir, log);
      } catch (e) {
        log(`emuflock bisect-step: ${(e as Error).message}`);
        process.exitCode = 128;
      }
    });
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw inputError(`bisect: ${flag} is required (or --resume DIR)`);
  return value;
}
