import { parseDocument } from 'yaml';
import { minSamplesToDecide, type Step } from '../analyze/index.js';
import { inputError } from '../core/errors.js';
import { phaseLabel, type PhaseName } from '../record/phases.js';
import { bootSideBySide, sideBySideCaseText } from './check-steps.js';
import { sourceName, stepCheck, type Finding } from './findings.js';
import { decideKey, pairKey, type HistoryFile } from './history-file.js';
import type { MeasureOptions } from './measure-history.js';

export interface DecideOptions extends Omit<MeasureOptions, 'again'> {
  /** Trials a side at most; 0 boots nothing (candidates are only reported). */
  upTo: number;
}

/** `--decide-up-to`: 0, or enough trials a side for the test to be able to decide at all. */
export function checkDecideUpTo(upTo: number, alpha: number): void {
  const least = minSamplesToDecide(alpha);
  if (upTo > 0 && upTo < least) throw inputError(`--decide-up-to ${upTo}: fewer than ${least} trials a side can never decide at alpha ${alpha}; give ${least} or more, or 0 to only report undecided steps`);
}

/**
 * A candidate (analyze/change-points.ts) is a step the sources' own runs were too few to call:
 * its ratio and interval point one way, the test cannot decide. A step whose side-by-side check
 * is undecided with its ratio past the threshold is in the same state (findings.ts checkOfStep).
 * Its two sources are booted side by side once more, that variant at that point only, with
 * adaptive repetitions from the rank test's first deciding size (5 a side at alpha 0.01) up to
 * `upTo` a side, until the candidate's metric is decided (run/schedule/adaptive.ts: the case's first variant, `before-NAME`, is the
 * baseline of its looks). Several candidates of one variant at one point (QEMU init and shutdown,
 * say) share the run: the history's own metric leads its repetitions, else the one that moved
 * most; the others are read from the same trials.
 */
export async function decideCandidates(dir: string, history: HistoryFile, findings: readonly Finding[], opts: DecideOptions): Promise<void> {
  if (opts.upTo <= 0) return;
  const groups = new Map<string, { step: Step; metric: PhaseName; variant: string; point: string }[]>();
  for (const f of findings) {
    f.result.steps.forEach((step, i) => {
      // A candidate not yet decided, and any step its side-by-side check left undecided (a blip,
      // which can read its pair's check, is no step).
      const check = stepCheck(f, i);
      if (step.kind === 'blip' || !(check === 'undecided' || (step.kind === 'candidate' && check === 'unchecked'))) return;
      const key = decideKey(pairKey(history, step.from, step.at), f.trend.variant, f.trend.point);
      groups.set(key, [...(groups.get(key) ?? []), { step, metric: f.trend.metric, variant: f.trend.variant, point: f.trend.point }]);
    });
  }
  for (const [key, candidates] of groups) {
    if (history.checks?.[key]) continue;
    const lead = candidates.find((c) => c.metric === opts.adaptive.metric) ?? [...candidates].sort((a, b) => moved(b.step) - moved(a.step))[0]!;
    const { from, at } = lead.step;
    const base = await sideBySideCaseText(history, from, at, opts.variantsFile, { variant: lead.variant, point: lead.point });
    if (!base) continue;
    const doc = parseDocument(base);
    doc.set('repetitions', { min: Math.min(minSamplesToDecide(opts.adaptive.alpha), opts.upTo), max: opts.upTo });
    const names = candidates.map((c) => `${c.metric.replace(/Ms$/, '')} ${c.step.comparison.ratio.toFixed(2)}×`).join(', ');
    opts.log(
      `undecided between ${sourceName(history.sources[from]!)} and ${sourceName(history.sources[at]!)}, ${lead.variant} at ${lead.point} (${names}): booting both sides alternately, up to ${opts.upTo} trials a side, until ${phaseLabel(lead.metric)} is decided`,
    );
    await bootSideBySide(dir, history, key, doc.toString(), 'more-trials', { ...opts, adaptive: { ...opts.adaptive, metric: lead.metric } });
  }
}

/** How far a comparison's ratio is from 1, either way. */
function moved(s: Step): number {
  return Math.abs(Math.log(s.comparison.ratio));
}
