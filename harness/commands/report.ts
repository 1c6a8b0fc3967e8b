import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { listOption, statisticsOptions } from './cli-options.js';
import { inputError } from '../core/errors.js';
import { defaultStatistics } from '../compare/statistics-defaults.js';
import type { PhaseName } from '../record/phases.js';

/** `emuflock report`: rebuild a run's report from its journal. */
export function registerReportCommand(program: Command, { log, shown }: CliIo): void {
  statisticsOptions(
    program
      .command('report')
      .description('write charts (PNG, SVG), report.md, report.html and junit.xml into results/<run-id>/report/, from the journal')
      .argument('<run>', 'a run directory, results/<run-id>')
      .option('--out <dir>', 'write here instead of <run>/report')
      .option('--log-log', 'draw the start-up chart on log-log axes (the slope is the growth exponent)')
      .option('--format <list>', 'only these outputs, comma-separated, none empty: png,svg,markdown,html,junit')
      .option('--baseline <variant>', 'the variant the others are held against (default: each case\'s first variant)'),
    defaultStatistics,
    '',
  )
    .addHelpText(
      'after',
      '\nExamples:\n  emuflock report results/20261126-051305-seed-drain\n  emuflock report results/20261126-051305-seed-drain --log-log --format png,svg\n\n`emuflock run` writes the report itself at its end; this regenerates it, e.g. after --resume.',
    )
    .action(async (run: string, opts: { out?: string; logLog?: boolean; format?: string; baseline?: string; threshold: number; alpha: number; metric: PhaseName }) => {
      if (opts.out === '') throw inputError("--out '': name a folder for the report (or leave --out out: <run>/report)");
      const { openRun } = await import('../journal/opened-run.js');
      const { writeReport } = await import('../report/index.js');
      const result = await writeReport(await openRun(run, { warn: log }), {
        ...(opts.out ? { outDir: opts.out } : {}),
        ...(opts.logLog ? { logLog: true } : {}),
        ...(opts.format !== undefined ? { formats: listOption('--format', opts.format) } : {}),
        compare: { metric: opts.metric, threshold: opts.threshold, alpha: opts.alpha, ...(opts.baseline ? { baseline: opts.baseline } : {}) },
      });
      for (const note of result.notes) log(note);
      process.stdout.write(`report: ${shown(result.dir)} (${result.files.length} files)\n`);
    });
}
