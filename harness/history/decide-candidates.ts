import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { minSamplesToDecide, type Step } from '../analyze/index.js';
import { parseCase } from '../case/load.js';
import { EmuflockError } from '../core/errors.js';
import { phaseLabel, type PhaseName } from '../record/phases.js';
import { sideBySideCaseText } from './check-steps.js';
import { sourceName, stepCheck, type Finding } from './findings.js';
import { decideKey, pairKey, writeHistory, type HistoryFile } from './history-file.js';
import { measureRun, type MeasureOptions } from './measure-history.js';

export interface DecideOptions extends Omit<MeasureOptions, 'again'> {
  /** Trials a side at most; 0 boots nothing (candidates are only reported). */
  upTo: number;
}

/**
 * A candidate (analyze/change-points.ts) is a step the sources' own runs were too few to call:
 * its ratio and interval point one way, the test cannot decide. Each pair of sources with a
 * candidate that no side-by-side run has decided yet is booted side by side once more, with
 * adaptive repetitions from the rank test's first deciding size (5 a side at alpha 0.01) up to
 * `upTo` a side, until the candidate's metric is decided (run/schedule/adaptive.ts). Where a
 * pair has several candidates, the history's own metric leads the repetitions, else the one
 * that moved most; the others are read from the same trials.
 */
export async function decideCandidates(dir: string, history: HistoryFile, findings: readonly Finding[], opts: DecideOptions): Promise<void> {
  if (opts.upTo <= 0) return;
  const byPair = new Map<string, { step: Step; metric: PhaseName }[]>();
  for (const f of findings) {
    f.result.steps.forEach((step, i) => {
      if (step.kind !== 'candidate' || (stepCheck(f, i) !== 'unchecked' && stepCheck(f, i) !== 'undecided')) return;
      const pair = pairKey(history, step.from, step.at);
      byPair.set(pair, [...(byPair.get(pair) ?? []), { step, metric: f.trend.metric }]);
    });
  }
  history.checks ??= {};
  for (const [pair, candidates] of byPair) {
    const key = decideKey(pair);
    if (history.checks[key]) continue;
    const lead = candidates.find((c) => c.metric === opts.adaptive.metric) ?? [...candidates].sort((a, b) => moved(b.step) - moved(a.step))[0]!;
    const { from, at } = lead.step;
    const base = await sideBySideCaseText(history, from, at, opts.variantsFile);
    if (!base) continue;
    const doc = parseDocument(base);
    doc.set('repetitions', { min: Math.min(minSamplesToDecide(opts.adaptive.alpha), opts.upTo), max: opts.upTo });
    const root = join(dir, 'checks', key.replace(/[^A-Za-z0-9.+_-]/g, '_'));
    await mkdir(root, { recursive: true });
    const file = join(root, `${history.case.name}-more-trials.yaml`);
    await writeFile(file, doc.toString());
    const names = candidates.map((c) => `${c.metric.replace(/Ms$/, '')} ${c.step.comparison.ratio.toFixed(2)}×`).join(', ');
    opts.log(
      `undecided between ${sourceName(history.sources[from]!)} and ${sourceName(history.sources[at]!)} (${names}): booting both sides alternately, up to ${opts.upTo} trials a side, until ${phaseLabel(lead.metric)} is decided`,
    );
    try {
      const runDir = await measureRun(root, parseCase(doc.toString(), file), { ...opts, adaptive: { ...opts.adaptive, metric: lead.metric } });
      history.checks[key] = { status: 'measured', runDir: relative(dir, runDir) };
    } catch (e) {
      if (!(e instanceof EmuflockError && e.kind === 'build')) throw e;
      history.checks[key] = { status: 'failed', reason: e.message.split('\n')[0]! };
    }
    await writeHistory(dir, history);
  }
}

/** How far a comparison's ratio is from 1, either way. */
function moved(s: Step): number {
  return Math.abs(Math.log(s.comparison.ratio));
}
