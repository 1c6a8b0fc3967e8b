import { Option, type Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { countOrZero, shard, sourceListOptions, statisticsOptions, variantsFileOption } from './cli-options.js';
import type { Shard } from '../case/matrix.js';
import { textTable } from '../core/text-table.js';
import { inputError } from '../core/errors.js';
import type { PhaseName } from '../record/phases.js';
import { resultsRoot } from '../core/paths.js';
import { defaultStatistics } from '../compare/statistics-defaults.js';

interface HistoryCliOptions {
  source: string[];
  repo?: string;
  rev: string[];
  range?: string;
  every: number;
  name?: string;
  results?: string;
  resume?: string;
  variants?: string;
  bisect: boolean;
  decideUpTo: number;
  retryFailed?: boolean;
  threshold: number;
  alpha: number;
  metric: PhaseName;
  shard?: Shard;
}

/** `emuflock history` (one case across QEMU sources) and `emuflock regressions` (its open steps). */
export function registerHistoryCommands(program: Command, cliPath: string, { log, shown }: CliIo): void {
  const cmd = sourceListOptions(
    program
      .command('history')
      .description('measure one case across an ordered list of QEMU sources (Debian versions, revisions, a sampled commit range); find the steps, bisect them')
      .argument('[case]', 'the case file (YAML); the history is results/history-<name>/'),
    { range: true, repoHelp: 'a QEMU git repository for --rev and --range (only read; may be bare)' },
  )
    .option('--name <name>', 'the history\'s name (default: the case\'s)')
    .option('--results <dir>', 'results directory')
    .option('--resume <dir>', 'continue a history (results/history-<name>) with the sources it lists')
    .option('--no-bisect', 'do not bisect steps whose two sides are commits of one repository')
    .option('--retry-failed', 'measure again the sources passed over before because they did not build (after an update of emuflock, the patches or the source cache)')
    .addOption(
      new Option('--decide-up-to <n>', 'trials a side, at most, to decide an undecided step by booting its two sources side by side (0: only report it)')
        .argParser(countOrZero)
        .default(20),
    )
    .addOption(new Option('--shard <i/n>', 'measure only the I-th of every N sources and stop (one CI job each); emuflock merge-history joins them').argParser(shard))
    .addOption(variantsFileOption());
  statisticsOptions(cmd, defaultStatistics, 'steps and adaptive repetitions: ')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  emuflock history cases/drain-10.2.yaml --source debian:trixie --source debian:1:10.2.2+ds-1\n' +
        '  emuflock history cases/history-10x-drain.yaml --repo ~/src/qemu --rev v9.2.0 --rev v10.0.0 --range v10.0.0..v10.1.0 --every 50\n' +
        '  emuflock history --resume results/history-history-10x-drain     # after Ctrl-C, or to analyze again\n' +
        '  emuflock regressions results/history-history-10x-drain\n' +
        '  emuflock history cases/drain-10.2.yaml --source debian:trixie --source debian:sid --shard 2/2 --results results/shard-2\n' +
        '\nSources are measured in the order given (--source, then --rev, then --range), once each: a run per source under\n' +
        'results/history-<name>/sources/<id>/, every variant of the case built from that source (as run --qemu-src does).\n' +
        'Run again with one more source and only that source is built and booted; an interrupted run is resumed.\n' +
        'A suite (debian:sid) is pinned to the version it names today, a revision to its commit.\n' +
        'A step is a SLOWER or FASTER comparison between neighbouring sources (as emuflock compare decides it) whose new\n' +
        'level holds to the last source; a level that lasts one source is a blip, not a step. Each step\'s two sources are\n' +
        'booted again side by side (one run, alternately): a step that run refutes is reported as none (runs made at\n' +
        'different times also differ by the host\'s load). A candidate step, one the sources\' own trials were too few to\n' +
        'call (undecided, its ratio beyond the threshold and its interval clear of 1, one way to the last source), and a step\n' +
        'whose side-by-side run is undecided the same way, are booted side by side with more trials (5 a side, then 10, 20:\n' +
        '--decide-up-to) until decided. A confirmed SLOWER step between two commits of one repository\n' +
        'is bisected (emuflock bisect, calibrated with the side-by-side run; --no-bisect to skip).\n' +
        'Writes history.json, report/report.html, report/report.md and a trend chart per phase (report/history-*.png).\n' +
        'Exit status: 0 no open regression, 1 an open regression (a SLOWER step that holds), 2 bad input, 3 missing package, 4 build.',
    )
    .action(async (caseFile: string | undefined, o: HistoryCliOptions) => {
      if (o.resume && (caseFile || o.source.length > 0 || o.rev.length > 0 || o.range || o.repo || o.name)) {
        throw inputError('history: --resume DIR continues with the case and sources the history lists; to add sources, give the case and every source again');
      }
      if (o.shard && o.resume) throw inputError('history: --shard measures part of a new history from its case and sources; --resume continues a whole one');
      if (!o.resume && !caseFile) throw inputError('history: name a case file, e.g. emuflock history cases/drain-10.2.yaml --source debian:trixie --source debian:1:10.2.2+ds-1');
      const { runHistory } = await import('../history/history.js');
      const { bisectSteps } = await import('../history/bisect-steps.js');
      const { historyText } = await import('../history/history-text.js');
      const result = await runHistory({
        ...(caseFile ? { caseFile } : {}),
        ...(o.resume ? { resumeDir: o.resume } : {}),
        ...(o.name ? { name: o.name } : {}),
        request: { sources: o.source, revs: o.rev, every: o.every, ...(o.repo ? { repo: o.repo } : {}), ...(o.range ? { range: o.range } : {}) },
        resultsRoot: resultsRoot(o.results),
        adaptive: { metric: o.metric, threshold: o.threshold, alpha: o.alpha },
        decideUpTo: o.decideUpTo,
        ...(o.retryFailed ? { retryFailed: true } : {}),
        ...(o.variants ? { variantsFile: o.variants } : {}),
        ...(o.shard ? { shard: o.shard } : {}),
        ...(o.bisect ? { bisect: (dir, h, f) => bisectSteps(dir, h, f, { metric: o.metric, cliPath: cliPath, log }) } : {}),
        log,
      });
      if (!result.reportDir) {
        const mine = result.history.sources.filter((s) => result.history.records[s.id]);
        process.stdout.write(`shard ${o.shard!.index}/${o.shard!.count}: ${mine.length} of ${result.history.sources.length} sources in ${shown(result.dir)}; join the shards with emuflock merge-history\n`);
        return;
      }
      const text = historyText(result.history, result.findings);
      process.stdout.write(`${text.body}\nhistory: ${shown(result.dir)}\nreport:  ${shown(result.reportDir)}/report.html\n`);
      if (text.open > 0) process.exitCode = 1;
    });

  program
    .command('merge-history')
    .description('join the shards of one history (emuflock history --shard I/N, e.g. one CI job per source) into one history folder')
    .argument('<history...>', "the shards' history folders, e.g. results/shard-*/history-<name>")
    .requiredOption('--out <dir>', 'the merged history folder (new or empty)')
    .addHelpText(
      'after',
      '\nExample:\n  emuflock merge-history results/shard-*/history-drain-10.2 --out results/history-drain-10.2\n  emuflock history --resume results/history-drain-10.2     # steps, side-by-side checks, bisects, report\n\n' +
        'The shards must measure the same case (sha256) and the same sources in the same order. Each source\'s run is\n' +
        'copied from the first shard that measured it; a source no shard measured is measured by history --resume.',
    )
    .action(async (dirs: string[], o: { out: string }) => {
      const { mergeHistories } = await import('../history/merge-history.js');
      const merged = await mergeHistories(dirs, o.out);
      for (const note of merged.notes) log(note);
      process.stdout.write(textTable(['source', 'from', 'status'], merged.rows.map((r) => [r.source, r.from, r.status])) + '\n');
      process.stdout.write(`\nmerged: ${merged.rows.filter((r) => r.status === 'measured').length} of ${merged.rows.length} sources measured in ${shown(merged.dir)}; next: emuflock history --resume ${shown(merged.dir)}\n`);
    });

  statisticsOptions(
    program
      .command('regressions')
      .description("list a history's open regressions: SLOWER steps that hold to its last source")
      .argument('<history>', 'a history directory, results/history-<name>'),
    defaultStatistics,
    '',
  )
    .addHelpText('after', '\nExample:\n  emuflock regressions results/history-drain-10.2\n\nExit status: 0 none open, 1 some open, 2 bad input.')
    .action(async (dir: string, o: { threshold: number; alpha: number }) => {
      const { readHistoryFindings } = await import('../history/history.js');
      const { regressionsText } = await import('../history/history-text.js');
      const { history, findings } = await readHistoryFindings(dir, o, log);
      const text = regressionsText(history, findings);
      process.stdout.write(text.body + '\n');
      if (text.open > 0) process.exitCode = 1;
    });
}
