import { compareTimes, median, summarize, type TimeComparison } from '../analyze/index.js';
import { inputError } from '../core/errors.js';

/** The two ends of a bisect, measured: what "fast" and "slow" mean for this regression. */
export interface Calibration {
  good: number[];
  bad: number[];
  comparison: TimeComparison;
  /** Geometric mean of the two medians: a commit is fast below it, slow above it. */
  midpoint: number;
}

export type CommitVerdict = 'fast' | 'slow' | 'undecided';

/**
 * The endpoints must differ, with the statistics of `compare`: bad SLOWER than good. A bisect
 * between two commits that measure the same would name a random commit.
 */
export function calibrate(good: number[], bad: number[], opts: { threshold?: number; alpha?: number } = {}): Calibration {
  const comparison = compareTimes(good, bad, opts);
  if (comparison.verdict !== 'SLOWER') {
    const ratio = comparison.ratio.toFixed(2);
    throw inputError(
      `the bad commit is not measurably slower than the good one (median ratio ${ratio}, verdict ${comparison.verdict}: ${comparison.reason}); ` +
        'nothing to bisect with this case and metric (try more disks, another --metric, or more --calibration-runs)',
    );
  }
  return { good, bad, comparison, midpoint: geometricMidpoint(good, bad) };
}

function geometricMidpoint(good: number[], bad: number[]): number {
  return Math.sqrt(median(good) * median(bad));
}

/**
 * A commit is fast when the confidence interval of its median lies below the midpoint, slow
 * when it lies above; otherwise more runs are needed. `final` decides by the median alone,
 * when no more runs are allowed.
 */
export function classifyCommit(samples: number[], midpoint: number, final = false): { verdict: CommitVerdict; median: number; lower: number; upper: number } {
  const s = summarize(samples);
  const { lower, upper } = s.medianCI;
  let verdict: CommitVerdict = 'undecided';
  if (upper < midpoint) verdict = 'fast';
  else if (lower > midpoint) verdict = 'slow';
  else if (final) verdict = s.median < midpoint ? 'fast' : 'slow';
  return { verdict, median: s.median, lower, upper };
}

/** What one bisect step has measured so far: the commit, and the endpoints run beside it. */
export interface StepSamples {
  commit: number[];
  /** Endpoint runs interleaved with the commit's once it straddled the calibrated midpoint. */
  beside: { good: number[]; bad: number[] };
}

export type StepAction =
  | { kind: 'decided'; verdict: 'fast' | 'slow'; midpoint: number; against: 'calibration' | 'beside' }
  | { kind: 'skip'; reason: string }
  /** The commit's runs, then (`endpoints`) one run of good and one of bad. */
  | { kind: 'measure'; endpoints: boolean; commitRuns: number };

/** How many runs a step makes, and whether the ends run beside every commit from the start. */
export interface StepRuns {
  step: number;
  max: number;
  /** Every run of the commit comes with one of each end (for a host whose load changes within a step). */
  paired?: boolean;
}

/**
 * A step's next move. The calibrated midpoint decides while the commit lies clearly on one side
 * of it. A commit that straddles it may be a host that slowed (or sped up) since calibration: a
 * good commit measured under a new load sits above a midpoint of the quiet host. So from then on
 * each further run of the commit comes with one run of each endpoint, and the commit is
 * classified against the midpoint of those: drift moves all three alike and cancels. `paired`
 * does so from the first run. At `max` runs the median decides; endpoints that no longer differ
 * beside it decide nothing (the step is skipped, as a commit that does not boot is).
 */
export function nextStepAction(s: StepSamples, cal: { midpoint: number }, runs: StepRuns): StepAction {
  const atMax = s.commit.length >= runs.max;
  const round: StepAction = { kind: 'measure', endpoints: true, commitRuns: 1 };
  if (runs.paired && s.commit.length < runs.step) return round;
  if (s.commit.length === 0) return { kind: 'measure', endpoints: false, commitRuns: runs.step };
  if (s.beside.good.length === 0) {
    const c = classifyCommit(s.commit, cal.midpoint);
    if (c.verdict !== 'undecided') return { kind: 'decided', verdict: c.verdict, midpoint: cal.midpoint, against: 'calibration' };
    return atMax ? decideFinal(s.commit, cal.midpoint, 'calibration') : round;
  }
  if (median(s.beside.bad) <= median(s.beside.good)) {
    return atMax ? { kind: 'skip', reason: 'the endpoints measured beside it no longer differ (a host too noisy to tell)' } : round;
  }
  const midpoint = geometricMidpoint(s.beside.good, s.beside.bad);
  const c = classifyCommit(s.commit, midpoint);
  if (c.verdict !== 'undecided') return { kind: 'decided', verdict: c.verdict, midpoint, against: 'beside' };
  return atMax ? decideFinal(s.commit, midpoint, 'beside') : round;
}

function decideFinal(commit: number[], midpoint: number, against: 'calibration' | 'beside'): StepAction {
  const verdict = classifyCommit(commit, midpoint, true).verdict as 'fast' | 'slow';
  return { kind: 'decided', verdict, midpoint, against };
}

/**
 * The culprit confirmed against its parent from runs interleaved in pairs (drift cancels in the
 * ratio): it must be slower by at least the geometric half of the calibrated regression, i.e.
 * account for more of it than any other commit could.
 */
export function confirmCulprit(culprit: number[], parent: number[], cal: Calibration): { confirmed: boolean; ratio: number; needed: number } {
  const ratio = median(culprit) / median(parent);
  const needed = Math.sqrt(median(cal.bad) / median(cal.good));
  return { confirmed: ratio >= needed, ratio, needed };
}
