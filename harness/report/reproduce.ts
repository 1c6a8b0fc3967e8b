/**
 * How to get this run again: the command that started it (with the seed, so the trial order
 * is the same), the case files exactly as they were, and how to remake this report.
 */
import { join } from 'node:path';
import type { RunManifest } from '../journal/run-dir.js';
import { shellLine } from '../core/shell-quote.js';
import type { Section } from './document-model.js';
import type { ReportModel } from './model.js';

export function reproduceSection(model: ReportModel): Section {
  const { manifest } = model.run;
  const argv = [...manifest.argv];
  if (!argv.includes('--seed') && argv[1] === 'run') argv.push('--seed', String(manifest.seed));
  const runDir = recordedRunDir(manifest);
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
          shellLine(argv),
          `${shellLine(['emuflock', 'compare', runDir])}   # the comparison tables alone`,
          `${shellLine(['emuflock', 'report', runDir])}    # this report again, from journal.jsonl and run.json`,
        ].join('\n'),
      },
      ...manifest.cases.flatMap((c) => [
        { kind: 'paragraph' as const, text: `${c.file} (sha256 ${c.sha256}):` },
        { kind: 'code' as const, language: 'yaml', text: c.text.trimEnd() },
      ]),
    ],
  };
}

/**
 * The run directory as the commands that made it name it: `--results DIR` (or the merge's
 * `--out DIR`) when given, else the default results/.
 */
function recordedRunDir(manifest: RunManifest): string {
  if (manifest.merged) return optionValue(manifest.merged.argv, '--out') ?? join('results', manifest.runId);
  return join(optionValue(manifest.argv, '--results') ?? 'results', manifest.runId);
}

function optionValue(argv: string[], flag: string): string | undefined {
  for (let i = argv.length - 1; i >= 0; i--) {
    if (argv[i] === flag && i + 1 < argv.length) return argv[i + 1];
    if (argv[i]!.startsWith(`${flag}=`)) return argv[i]!.slice(flag.length + 1);
  }
  return undefined;
}
