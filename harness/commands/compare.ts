import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { statisticsOptions } from './cli-options.js';
import { inputError } from '../core/errors.js';
import { defaultStatistics } from '../compare/statistics-defaults.js';
import type { PhaseName } from '../record/phases.js';

/** `emuflock compare`: the comparison table, and exit 1 on a regression. */
export function registerCompareCommand(program: Command, { log, shown }: CliIo): void {
  statisticsOptions(
    program
      .command('compare')
      .description('compare timings with confidence intervals: the variants of one run against a baseline, or two runs (old, new)')
      .argument('<run>', 'a run directory, results/<run-id> (the old run when two are given)')
      .argument('[other-run]', 'a second run directory: the new side')
      .option('--baseline <variant>', 'one run: the variant the others are held against (default: each case\'s first variant)'),
    defaultStatistics,
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
      const { compareRuns } = await import('../compare/compare.js');
      const { formatComparison } = await import('../compare/format.js');
      const { openRun } = await import('../journal/opened-run.js');
      const runs = [await openRun(run, { label: shown(run), warn: log })];
      if (other !== undefined) runs.push(await openRun(other, { label: shown(other), warn: log }));
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
}
