import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { textTable } from '../core/text-table.js';
import { inputError } from '../core/errors.js';
import { join } from 'node:path';
import { sourceListOptions } from './cli-options.js';
import { resultsRoot } from '../core/paths.js';
import { defaultStatistics } from '../compare/statistics-defaults.js';
import type { SeriesMatrix } from '../variants/series-matrix.js';

/** `emuflock series-matrix`: every patch series against every named QEMU source, applied or not. */
export function registerSeriesMatrixCommand(program: Command, { log, shown }: CliIo): void {
  sourceListOptions(
    program
      .command('series-matrix')
      .description("every patch series (or those named) against every QEMU source named: the series' version for that release, and whether it applies")
      .argument('[series...]', 'series folders under patches/ (default: all)'),
    { range: false, repoHelp: 'a QEMU git repository for --rev (only read; may be bare)' },
  )
    .option('--measure', 'also boot each source as it is and with each series that applies, at the point where the series shows (patches/<series>/shows.yaml): is its bug still there?')
    .option('--results <dir>', 'results directory, with --measure (a folder <time>-series-matrix/ in it)')
    .addHelpText(
      'after',
      '\nExamples:\n  emuflock series-matrix --source debian:bookworm --source debian:trixie --source debian:sid\n' +
        '  emuflock series-matrix drive-unit-lookup --repo ~/src/qemu --rev v10.1.0 --rev master\n' +
        '  emuflock series-matrix drive-unit-lookup graph-wrlock-uncontended --source debian:trixie --source debian:sid --measure\n\n' +
        'Each series is applied alone onto the pristine source, in its version for the source\'s release\n' +
        '(patches/<series>/qemu-<release>/), in a scratch worktree; nothing is built. With --measure, each series that\n' +
        'applies is built onto the source and booted against the source as it is, alternately, at its shows.yaml point\n' +
        '(3 to 10 trials a side): "still there" when the series makes that phase FASTER, "not seen" when SAME (fixed\n' +
        'upstream, or never there; the series README\'s "Fixed upstream by" sentence is quoted), "undecided", "fix slower",\n' +
        '"fix fails" (no trial with it ends ok), "does not build", "not measurable" (a KVM point without /dev/kvm).\n' +
        'A shows.yaml may name an exact count instead (routeCommits, irqfdFallbacks, ...): 2 trials a side, "still there"\n' +
        'when the count differs, "not seen" when equal, "undecided" when it varies between boots. Either way a source that\n' +
        'fails where the series ends ok still has the bug. "-" where nothing was built (no version, does not apply, or no\n' +
        'shows.yaml).\n' +
        'Exit status: 0 every series with a version applies, 1 one does not apply, 2 bad input, 3 missing package.',
    )
    .action(async (names: string[], o: { source: string[]; repo?: string; rev: string[]; measure?: boolean; results?: string }) => {
      if (o.rev.length > 0 && !o.repo) throw inputError('series-matrix: --rev names revisions of --repo PATH; give --repo');
      const specs = [...o.source, ...o.rev.map((r) => `${o.repo}@${r}`)];
      if (specs.length === 0) throw inputError('series-matrix: name a QEMU source, e.g. --source debian:sid, or --repo ~/src/qemu --rev master');
      const { seriesMatrix } = await import('../variants/series-matrix.js');
      const m = await seriesMatrix(specs, names, log);
      const header = ['series', ...m.sources.map((s) => `${s.label}${s.qemuVersion ? ` (${s.qemuVersion})` : ''}`)];
      const short = (c: (typeof m.rows)[number]['cells'][number]) =>
        c.status === 'applies' ? `applies (${c.version})` : c.status === 'no version' ? 'no version' : `NO (${c.version})`;
      process.stdout.write(textTable(header, m.rows.map((r) => [r.series, ...r.cells.map(short)])) + '\n');
      const failures = m.rows.flatMap((r) => r.cells.flatMap((c, i) => (c.status === 'does not apply' ? [`${r.series} on ${m.sources[i]!.label}: ${c.detail}`] : [])));
      const missing = m.rows.flatMap((r) => r.cells.flatMap((c, i) => (c.status === 'no version' ? [`${r.series} on ${m.sources[i]!.label}: no version for QEMU ${m.sources[i]!.qemuVersion ?? '?'} (${c.detail})${c.why ? `: ${c.why}` : ''}`] : [])));
      if (failures.length > 0) process.stdout.write(`\ndoes not apply:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
      if (missing.length > 0) process.stdout.write(`\nno version:\n${missing.map((f) => `  ${f}`).join('\n')}\n`);
      if (o.measure) await printEffects(m, o.results, log, shown);
      if (failures.length > 0) process.exitCode = 1;
    });
}

/** The measured half: is each series' bug still there in each source it applies to. */
async function printEffects(m: SeriesMatrix, results: string | undefined, log: (line: string) => void, shown: (p: string) => string): Promise<void> {
  const { matrixEffects } = await import('../review/series-effect.js');
  const { patchesRoot } = await import('../variants/series.js');
  const { newRunId } = await import('../journal/run-dir.js');
  const root = join(resultsRoot(results), newRunId(['series-matrix']));
  const { effects, withoutPoint } = await matrixEffects(m, (name) => join(patchesRoot(), name), { resultsRoot: root, ...defaultStatistics, log });
  const header = ['bug still there?', ...m.sources.map((s) => s.label)];
  process.stdout.write(`\n${textTable(header, m.rows.map((r, i) => [r.series, ...effects[i]!.map((e) => e?.status ?? '-')]))}\n`);
  const lines = m.rows.flatMap((r, i) => effects[i]!.flatMap((e, j) => (e ? [`  ${r.series} on ${m.sources[j]!.label}: ${e.status}: ${e.detail}${e.runDir ? ` (${shown(e.runDir)})` : ''}`] : [])));
  if (lines.length > 0) process.stdout.write(`\nmeasured:\n${lines.join('\n')}\n`);
  if (withoutPoint.length > 0) process.stdout.write(`not measured (no shows.yaml says where the bug shows): ${withoutPoint.join(', ')}\n`);
}
