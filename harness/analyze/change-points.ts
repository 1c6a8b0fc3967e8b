/**
 * Change points along an ordered list of sources (QEMU releases, commits): where a metric
 * steps up or down and stays there, told apart from noise and from a gradual drift.
 *
 * Rule (each source a sample of times; sources without one are passed over, the sources on
 * either side of them are then neighbours; "decided" = compareTimes' SLOWER or FASTER, with its
 * threshold and alpha):
 *
 *   candidate  at source i: compareTimes(previous measured source, i) is decided;
 *   step       the candidate holds: every later source, compared with the one before the
 *              candidate, gets the same verdict, or is undecided leaning the same way (ratio
 *              beyond the threshold, interval clear of 1: too few trials to call, no reversal);
 *   undone     it held for two or more sources, then a later one no longer compares so
 *              (a regression fixed later, or a fix lost): reported with where it ended;
 *   blip       it held at i only (the next source is back): one source off, noise or an
 *              outlier build, never called a step; the next source is then compared with the
 *              one before the blip (the way back is no step either);
 *   candidate  the neighbours are undecided (UNKNOWN) although their ratio lies beyond the
 *              threshold and its interval clear of 1, the same way (two trials a side at
 *              least), and every later source, compared with the one before, is decided that
 *              way or undecided the same way: a step too few trials could not call (3 against 3
 *              when the rank test must decide). More trials decide it
 *              (history/decide-candidates.ts boots its two sources side by side until they do);
 *              `verdict` is the direction the ratio points;
 *   drift      no step explains the change from the first to the last source, yet that
 *              comparison is decided: a gradual change, each neighbour pair too close to call.
 *
 * Everything else (SAME, UNKNOWN between neighbours within the threshold, or a candidate that
 * a later source does not keep) is no change. Why "holds from there on"
 * and not the neighbour pair alone: a history is read to find what is still slow, and one slow
 * run of one build (a busy host) must not become a bisect. Why compare later sources with the
 * one before the step, not with the step's own source: a second step the same way later on
 * must not make the first look undone.
 */
import { compareTimes, type CompareOptions, type TimeComparison } from './verdict.js';

export type StepVerdict = 'SLOWER' | 'FASTER';
export type StepKind = 'step' | 'undone' | 'blip' | 'candidate';

export interface Step {
  /** The index of the source before the step (the last one at the old level) and of the first after it. */
  from: number;
  at: number;
  kind: StepKind;
  verdict: StepVerdict;
  /** The neighbours' comparison (old = `from`, new = `at`): its ratio, interval and p are the step's (UNKNOWN for a candidate). */
  comparison: TimeComparison;
  /** For `undone` and `blip`: the first later source that no longer compares the same with `from`. */
  undoneAt?: number;
}

export interface ChangePoints {
  steps: Step[];
  /** The first measured source against the last, when no step of that direction explains it. */
  drift?: { from: number; to: number; comparison: TimeComparison };
  /** The first and last measured sources, whatever they say. */
  overall?: { from: number; to: number; comparison: TimeComparison };
}

/** `levels[i]`: the times of source i, in order; an empty one was not measured (or failed). */
export function changePoints(levels: readonly (readonly number[])[], opts: CompareOptions = {}): ChangePoints {
  const measured = levels.map((s, i) => (s.length > 0 ? i : -1)).filter((i) => i >= 0);
  const compare = (a: number, b: number) => compareTimes(levels[a]!, levels[b]!, opts);
  const steps: Step[] = [];
  // A blip's source is left out of the chain: the next source is compared with the one before
  // the blip, so the way back from a blip is not a step of its own.
  let from = measured[0]!;
  for (let k = 1; k < measured.length; k++) {
    const at = measured[k]!;
    const comparison = compare(from, at);
    const verdict = comparison.verdict;
    if (verdict !== 'SLOWER' && verdict !== 'FASTER') {
      const way = verdict === 'UNKNOWN' ? leaning(comparison) : undefined;
      if (way && measured.slice(k + 1).every((j) => keeps(compare(from, j), way))) {
        steps.push({ from, at, kind: 'candidate', verdict: way, comparison });
      }
      from = at;
      continue;
    }
    // Undone where a later source no longer keeps it: decided otherwise, or undecided without
    // leaning its way (too few trials to call a level that still leans is no reversal).
    const undoneAt = measured.slice(k + 1).find((j) => !keeps(compare(from, j), verdict));
    const kind: StepKind = undoneAt === undefined ? 'step' : undoneAt === measured[k + 1] ? 'blip' : 'undone';
    steps.push({ from, at, kind, verdict, comparison, ...(undoneAt !== undefined ? { undoneAt } : {}) });
    if (kind !== 'blip') from = at;
  }
  if (measured.length < 2) return { steps };
  const first = measured[0]!;
  const last = measured[measured.length - 1]!;
  const overall = { from: first, to: last, comparison: compare(first, last) };
  const v = overall.comparison.verdict;
  // A candidate explains nothing yet: whether it stands is decided later, side by side
  // (history/findings.ts then leaves out a drift that a decided candidate explains).
  const explained = steps.some((s) => s.kind === 'step' && s.verdict === v);
  const drift = (v === 'SLOWER' || v === 'FASTER') && !explained ? overall : undefined;
  return { steps, overall, ...(drift ? { drift } : {}) };
}

/** The way an undecided comparison points when its ratio lies beyond the threshold and its interval clear of 1: a change too few trials could not call. */
function leaning(c: TimeComparison): StepVerdict | undefined {
  // One trial a side has no interval to speak of: every pair a few percent apart would lean.
  if (Math.min(c.nOld, c.nNew) < 2) return undefined;
  const band = 1 + c.threshold;
  if (c.ratio > band && c.ratioCI.lower > 1) return 'SLOWER';
  if (c.ratio < 1 / band && c.ratioCI.upper < 1) return 'FASTER';
  return undefined;
}

/** A later source keeps a candidate when it compares the same way with the source before it, decided or not. */
function keeps(c: TimeComparison, way: StepVerdict): boolean {
  return c.verdict === way || (c.verdict === 'UNKNOWN' && leaning(c) === way);
}
