import { findingLines, openRegressions, sourceName, trendName, changeText, type Finding } from './findings.js';
import type { HistoryFile } from './history-file.js';
import { bisectKey } from './bisect-key.js';

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
    const b = history.bisects?.[bisectKey(history, finding.trend, step)];
    const culprit = b?.culprit ? `; first slow commit ${b.culprit.slice(0, 12)} ${b.subject ?? ''}${b.confirmed ? '' : ' (NOT confirmed)'}` : b?.error ? `; bisect: ${b.error}` : '';
    return `- since ${sourceName(history.sources[step.at]!)} (after ${sourceName(history.sources[step.from]!)}): ${trendName(finding.trend)} ${changeText(step.comparison)}${culprit}`;
  });
  return { body: [`open regressions: ${open.length} (${history.name})`, ...lines, ...notes].join('\n'), open: open.length };
}
