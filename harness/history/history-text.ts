import { findingLines, openRegressions, sideBySideText, sourceName, trendName, changeText, type Finding } from './findings.js';
import type { HistoryFile } from './history-file.js';
import { bisectKey } from './bisect-key.js';
import { phaseLabel, type PhaseName } from '../record/phases.js';

/** What `emuflock history` prints: every step and drift as a line to paste, then the open regressions. */
export function historyText(history: HistoryFile, findings: readonly Finding[]): { body: string; open: number } {
  const lines = findings.flatMap((f) => findingLines(history, f));
  const regressions = regressionsText(history, findings);
  const head = lines.length > 0 ? lines.join('\n') : `no step and no drift across ${history.sources.length} sources (${history.sources.map(sourceName).join(', ')})`;
  return { body: `${head}\n\n${regressions.body}`, open: regressions.open };
}

/** The open regressions, one a line, with the bisect's culprit where one was found. */
export function regressionsText(history: HistoryFile, findings: readonly Finding[]): { body: string; open: number } {
  const open = openRegressions(findings);
  const failed = history.sources.filter((s) => history.records[s.id]?.status === 'failed').map((s) => `${sourceName(s)} (${history.records[s.id]!.reason})`);
  const missing = history.sources.filter((s) => !history.records[s.id]).map(sourceName);
  const notes = [
    ...(failed.length > 0 ? [`passed over: ${failed.join('; ')}`] : []),
    ...(missing.length > 0 ? [`not measured yet: ${missing.join(', ')}`] : []),
  ];
  if (open.length === 0) return { body: [`open regressions: none (${history.name}, ${history.sources.length} sources)`, ...notes].join('\n'), open: 0 };
  const lines = open.map(({ finding, step }) => {
    // A pair is bisected once (on --metric when it stepped there): its other phases name that bisect's culprit as such.
    const own = history.bisects?.[bisectKey(history, finding.trend, step)];
    const pair = `${history.sources[step.from]!.id}..${history.sources[step.at]!.id} `;
    const shared = own ? undefined : Object.entries(history.bisects ?? {}).find(([k, b]) => k.startsWith(pair) && b.culprit);
    const culpritOf = (b: NonNullable<HistoryFile['bisects']>[string]) => `${b.culprit!.slice(0, 12)} ${b.subject ?? ''}${b.confirmed ? '' : ' (NOT confirmed)'}`;
    const culprit = own?.culprit
      ? `; first slow commit ${culpritOf(own)}`
      : own?.error
        ? `; bisect: ${own.error}`
        : shared
          ? `; not bisected on this phase; the pair's bisect on ${phaseLabel(shared[0].split(' ')[1] as PhaseName)} named ${culpritOf(shared[1])}`
          : '';
    // A candidate, or a step whose first check was undecided, is open because a run with more
    // trials decided it: that is its evidence.
    const check = finding.checks[finding.result.steps.indexOf(step)];
    const decided = check && (step.kind === 'candidate' || check.moreTrials) ? `; decided ${sideBySideText(check)}` : '';
    return `- since ${sourceName(history.sources[step.at]!)} (after ${sourceName(history.sources[step.from]!)}): ${trendName(finding.trend)} ${changeText(step.comparison)}${decided}${culprit}`;
  });
  return { body: [`open regressions: ${open.length} (${history.name})`, ...lines, ...notes].join('\n'), open: open.length };
}
