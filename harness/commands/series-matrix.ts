import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { textTable } from '../core/text-table.js';
import { inputError } from '../core/errors.js';
import { sourceListOptions } from './cli-options.js';

/** `emuflock series-matrix`: every patch series against every named QEMU source, applied or not. */
export function registerSeriesMatrixCommand(program: Command, { log }: CliIo): void {
  sourceListOptions(
    program
      .command('series-matrix')
      .description("every patch series (or those named) against every QEMU source named: the series' version for that release, and whether it applies")
      .argument('[series...]', 'series folders under patches/ (default: all)'),
    { range: false, repoHelp: 'a QEMU git repository for --rev (only read; may be bare)' },
  )
    .addHelpText(
      'after',
      '\nExamples:\n  emuflock series-matrix --source debian:bookworm --source debian:trixie --source debian:sid\n' +
        '  emuflock series-matrix drive-unit-lookup --repo ~/src/qemu --rev v10.1.0 --rev master\n\n' +
        'Each series is applied alone onto the pristine source, in its version for the source\'s release\n' +
        '(patches/<series>/qemu-<release>/), in a scratch worktree; nothing is built.\n' +
        'Exit status: 0 every series with a version applies, 1 one does not apply, 2 bad input, 3 missing package.',
    )
    .action(async (names: string[], o: { source: string[]; repo?: string; rev: string[] }) => {
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
      if (failures.length > 0) process.exitCode = 1;
    });
}
