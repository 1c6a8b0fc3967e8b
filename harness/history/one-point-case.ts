import { parseDocument } from 'yaml';
import { parseCase } from '../case/load.js';
import { caseSweep, casePoints } from '../case/matrix.js';
import { inputError } from '../core/errors.js';
import type { HistoryFile } from './history-file.js';

/**
 * The history's case cut down to one of its points, as text: what a bisect measures (it
 * compares commits, not parameters). Each swept parameter is set to the point's value, read
 * from the case's own points, never parsed back from the label.
 */
export function onePointCaseText(history: HistoryFile, point: string): string {
  const c = parseCase(history.case.text, history.case.file, history.case.sha256);
  const swept = caseSweep(c.spec);
  if (swept.length === 0) return history.case.text;
  const found = casePoints(c).find((p) => p.point === point);
  if (!found) throw inputError(`${history.case.file}: has no point ${point}`);
  const doc = parseDocument(history.case.text);
  for (const name of swept) doc.set(name, (found.params as unknown as Record<string, unknown>)[name]);
  return doc.toString();
}
