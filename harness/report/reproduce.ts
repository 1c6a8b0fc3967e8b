/**
 * How to get this run again: the command that started it (with the seed, so the trial order
 * is the same), the case files exactly as they were, and how to remake this report.
 */
import type { Section } from './document.js';
import type { ReportModel } from './model.js';

export function reproduceSection(model: ReportModel): Section {
  const { manifest } = model.run;
  const argv = [...manifest.argv];
  if (!argv.includes('--seed') && argv[1] === 'run') argv.push('--seed', String(manifest.seed));
  const shell = (args: string[]) => args.map(quote).join(' ');
  return {
    title: 'How to reproduce',
    blocks: [
      {
        kind: 'paragraph',
        text: 'From a checkout of emuflock at the version below, with the case files as they were (below): the same trials in the same order. Variants are built from their recorded sources and series first.',
      },
      {
        kind: 'code',
        language: 'sh',
        text: [
          shell(argv),
          `emuflock compare results/${manifest.runId}   # the comparison tables alone`,
          `emuflock report results/${manifest.runId}    # this report again, from journal.jsonl and run.json`,
        ].join('\n'),
      },
      ...manifest.cases.flatMap((c) => [
        { kind: 'paragraph' as const, text: `${c.file} (sha256 ${c.sha256}):` },
        { kind: 'code' as const, language: 'yaml', text: c.text.trimEnd() },
      ]),
    ],
  };
}

/** POSIX shell quoting, only where needed, so a copied command runs as recorded. */
function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
