import { median } from '../analyze/index.js';
import { textTable } from '../core/text-table.js';
import type { BisectState } from './state.js';

const secs = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));

/** bisect.md: the culprit with its evidence, and every commit visited with its measurements. */
export function bisectReport(state: BisectState): string {
  const commits = Object.values(state.commits).sort((a, b) => a.visit - b.visit);
  const rows = commits.map((c) => [
    String(c.visit + 1),
    c.sha.slice(0, 12),
    c.status,
    secs(c.median),
    c.lower === undefined ? '-' : `${secs(c.lower)}-${secs(c.upper)}`,
    String(c.values.length),
    c.reason ? `${c.subject} (${c.reason})` : c.subject,
  ]);
  const culprit = state.culprit;
  const why = state.runs.paired ? '(--paired)' : 'after it straddled the calibrated midpoint';
  const besides = commits
    .filter((c) => c.beside && c.beside.good.length > 0)
    .map(
      (c) =>
        `- ${c.sha.slice(0, 12)} was classified against the ends run beside it ${why}: ` +
        `${c.beside!.good.length} run${c.beside!.good.length === 1 ? '' : 's'} each, medians ${secs(median(c.beside!.good))} and ${secs(median(c.beside!.bad))} s, midpoint ${secs(c.midpoint)} s.`,
    );
  return [
    `# Bisect of ${state.metric} with ${state.caseName}`,
    '',
    `Repository \`${state.repo}\`, good \`${state.goodRev}\` (${state.good.slice(0, 12)}), bad \`${state.badRev}\` (${state.bad.slice(0, 12)}).`,
    '',
    culprit
      ? `**First slow commit: ${culprit.sha.slice(0, 12)} "${culprit.subject}"** — ${culprit.confirmed ? 'confirmed' : 'NOT confirmed'} by fresh runs against its parent.\n\nEvidence: ${culprit.evidence}.`
      : 'No culprit found.',
    '',
    `## Commits visited (${state.metric}, seconds)`,
    '',
    '```',
    textTable(['#', 'commit', 'verdict', 'median', '95% CI', 'runs', 'subject'], rows),
    '```',
    '',
    ...(besides.length > 0 ? [...besides, ''] : []),
  ].join('\n');
}
