import { textTable } from '../core/text-table.js';
import type { CompareReport } from './compare.js';
import { timesRatio, verdictLine } from './verdict-line.js';

/**
 * What `emuflock run` ends with: each variant against its case's baseline at each point, one
 * line each (ratio, interval, p, verdict, the test that decided, trials per side), then the
 * decided ones as a sentence, as hyperfine ends with "A ran 8.5 times faster than B".
 * Empty when the run compares nothing (a case of one variant).
 */
export function runVerdicts(report: CompareReport): string {
  if (report.times.length === 0) return '';
  const metric = report.options.metric;
  const rows = report.times.map((r) => [
    r.pair.new.case,
    r.pair.new.point,
    `${r.pair.new.variant} vs ${r.pair.old.variant}`,
    r.comparison ? verdictLine(r.comparison) : 'no ok trial on a side',
  ]);
  const out = [`${metric}, each variant against its case's baseline (ratio variant/baseline [95% CI]):`, textTable(['case', 'point', 'variant', 'verdict'], rows)];
  const decided = report.times.filter((r) => r.comparison?.verdict === 'FASTER' || r.comparison?.verdict === 'SLOWER');
  for (const r of decided) {
    const c = r.comparison!;
    const factor = c.verdict === 'FASTER' ? `${timesRatio(1 / c.ratio)} faster` : `${timesRatio(c.ratio)} slower`;
    out.push(`${r.pair.new.variant} ran ${factor} than ${r.pair.old.variant} at ${r.pair.new.point} (${r.pair.new.case})`);
  }
  const undecided = report.times.length - decided.length;
  if (undecided > 0) out.push(`${undecided} comparison${undecided > 1 ? 's' : ''} not FASTER or SLOWER: why, in the report (or emuflock compare RUN)`);
  return out.join('\n');
}
