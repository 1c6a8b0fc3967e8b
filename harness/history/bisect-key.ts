import type { Step } from '../analyze/index.js';
import type { HistoryFile } from './history-file.js';
import type { Trend } from './trend.js';

/** How history.json names the bisect of one step: its two sources, the metric, point and variant. */
export function bisectKey(history: HistoryFile, trend: Trend, step: Pick<Step, 'from' | 'at'>): string {
  const id = (i: number) => history.sources[i]!.id;
  return `${id(step.from)}..${id(step.at)} ${trend.metric} ${trend.point} ${trend.variant}`;
}
