/**
 * The report as a format-neutral document: sections of paragraphs, lists, tables, code and
 * charts. report.md and report.html are two renderings of this one document, so they cannot
 * drift apart; a writer only decides how a block looks.
 */
import { testRuleText } from '../analyze/index.js';
import type { ChartSpec } from './charts/chart.js';
import type { ChartNote } from './charts/index.js';
import type { Block, ReportDocument, Section } from './document-model.js';

export type { Block, ReportDocument, Section } from './document-model.js';
import type { ReportModel } from './model.js';
import { runFacts } from './metadata.js';
import { metadataSection } from './metadata-section.js';
import { reproduceSection } from './reproduce.js';
import { caseTables } from './tables.js';
import { profileSection } from './profile-section.js';
import { migrationSection } from './migration-section.js';
import { nicFdsSection } from './nic-fds-section.js';

export function buildDocument(model: ReportModel, charts: readonly ChartSpec[], notes: readonly ChartNote[]): ReportDocument {
  const { manifest, observations } = model.run;
  const options = model.comparison.table.options;
  const { outcomes } = runFacts(observations);
  const intro: Block[] = [
    {
      kind: 'paragraph',
      text:
        `${observations.length} trials recorded of ${manifest.trials} planned (${[...outcomes].map(([k, n]) => `${n} ${k}`).join(', ')}). ` +
        `Each variant is compared with its case's first variant, the baseline, on ${options.metric}: median with its bootstrap 95% interval, ` +
        `ratio variant/baseline with its interval and p from one test, chosen per comparison before the difference is looked at: ${testRuleText}. SLOWER or FASTER needs p < ${options.alpha}, ` +
        `the ratio's interval on one side of 1 and a change above ${+(options.threshold * 100).toFixed(2)}%; SAME needs the whole interval within that band; anything else is UNKNOWN (more trials needed).`,
    },
  ];
  const sections: Section[] = model.cases.map((c) => {
    const caseNotes = notes.filter((n) => n.caseName === c.name).map((n) => n.text);
    return {
      title: `Case ${c.name}`,
      blocks: [
        ...(c.description ? [{ kind: 'paragraph' as const, text: c.description }] : []),
        { kind: 'paragraph', text: `${c.setup}. Variants: ${c.variants.join(', ')} (baseline: ${c.variants[0]}).` },
        ...charts.filter((ch) => ch.caseName === c.name).map((chart) => ({ kind: 'chart' as const, chart })),
        ...(caseNotes.length > 0 ? [{ kind: 'list' as const, items: caseNotes }] : []),
      ],
      subsections: [...caseTables(model, c), ...[profileSection(c), migrationSection(c), nicFdsSection(c)].filter((x): x is Section => x !== undefined)],
    };
  });
  return { title: `emuflock report: ${manifest.runId}`, intro, sections: [...sections, reproduceSection(model), metadataSection(model)] };
}
