import { changePoints, type ChangePoints, type CompareOptions, type Step, type TimeComparison } from '../analyze/index.js';
import { phaseLabel } from '../record/phases.js';
import { pValue, ratio, secs } from '../report/units.js';
import type { HistoryFile, HistorySource } from './history-file.js';
import type { Trend } from './trend.js';

/** A step's two sources booted again, alternately, in one run (check-steps.ts): times in ms and their comparison. */
export interface SideBySide {
  before: number[];
  after: number[];
  comparison: TimeComparison;
  /** From a more-trials run (decide-candidates.ts), not the pair's first side-by-side check. */
  moreTrials?: boolean;
}

/**
 * A trend and what the change-point rule (analyze/change-points.ts) says of it; `checks[i]` is
 * the side-by-side run of `result.steps[i]`'s two sources, once there is one.
 */
export interface Finding {
  trend: Trend;
  result: ChangePoints;
  checks: (SideBySide | undefined)[];
}

export function findChanges(trends: readonly Trend[], opts: CompareOptions): Finding[] {
  return trends.map((trend) => ({ trend, result: changePoints(trend.levels, opts), checks: [] }));
}

/**
 * confirmed: booted side by side, the two sources differ the same way; refuted: they do not
 * (SAME, the other way, or undecided with a ratio that does not reach past the threshold the
 * step's way: the sources' own runs differed by the host's load, not by QEMU); undecided: side
 * by side the test cannot decide yet the ratio still points the step's way, so more trials may
 * (decide-candidates.ts); unchecked: not booted so. A candidate is refuted only by a decided
 * answer or by its own more-trials run: the pair's first check was sized for another step.
 */
export type StepCheck = 'confirmed' | 'refuted' | 'unchecked' | 'undecided';

export function stepCheck(f: Finding, i: number): StepCheck {
  return checkOfStep(f.result.steps[i]!, f.checks[i]);
}

export function checkOfStep(step: Step, c: SideBySide | undefined): StepCheck {
  if (!c) return 'unchecked';
  const v = c.comparison.verdict;
  if (v === step.verdict) return 'confirmed';
  if (v !== 'UNKNOWN') return 'refuted';
  if (pointsWay(c.comparison, step.verdict)) return 'undecided';
  return step.kind === 'candidate' && !c.moreTrials ? 'undecided' : 'refuted';
}

/** The ratio lies beyond the threshold the given way. */
function pointsWay(c: TimeComparison, way: Step['verdict']): boolean {
  const band = 1 + c.threshold;
  return way === 'SLOWER' ? c.ratio > band : c.ratio < 1 / band;
}

/**
 * Which side-by-side run a step is judged by: a candidate by its more-trials run once there is
 * one; any other step by the pair's own check, and by the more-trials run only where that check
 * left it undecided (the run was then booted for it, not for another metric at its point).
 */
export function checkForStep(step: Step, pairCheck: SideBySide | undefined, moreTrials: SideBySide | undefined): SideBySide | undefined {
  if (step.kind === 'candidate') return moreTrials ?? pairCheck;
  return moreTrials && checkOfStep(step, pairCheck) === 'undecided' ? moreTrials : pairCheck;
}

/**
 * The steps of a finding the reader should believe: not blips, not refuted or undecided side by
 * side; a candidate only once decided (its sources' own runs did not decide it).
 */
export function standingSteps(f: Finding): { step: Step; index: number }[] {
  return f.result.steps
    .map((step, index) => ({ step, index }))
    .filter(({ step, index }) => {
      if (step.kind === 'blip') return false;
      const check = stepCheck(f, index);
      return check === 'confirmed' || (check === 'unchecked' && step.kind !== 'candidate');
    });
}

/** A step that holds to the last source and made things slower: what a history is read for. */
export interface OpenRegression {
  finding: Finding;
  step: Step;
}

export function openRegressions(findings: readonly Finding[]): OpenRegression[] {
  return findings.flatMap((finding) =>
    standingSteps(finding)
      // A candidate holds to the last source by its definition; standing, it was decided side by side.
      .filter(({ step }) => (step.kind === 'step' || step.kind === 'candidate') && step.verdict === 'SLOWER')
      .map(({ step }) => ({ finding, step })),
  );
}

/** A source as a sentence names it: the user's name, and what it was pinned to when that differs. */
export function sourceName(s: HistorySource): string {
  if (s.git) return s.git.commit.startsWith(s.label) ? s.git.commit.slice(0, 12) : `${s.label} (${s.git.commit.slice(0, 12)})`;
  const pinned = s.spec.startsWith('debian:') ? s.spec.slice('debian:'.length) : s.spec;
  // debian:1:10.2.2+ds-1 is pinned to itself (the pin drops the epoch, as the archive's file names do).
  return s.label === s.spec || s.label.replace(/^debian:\d+:/, 'debian:') === `debian:${pinned}` ? s.label : `${s.label} (${pinned})`;
}

/** A source as an axis label names it: short, the user's name. */
export function sourceTick(s: HistorySource): string {
  const name = s.git && s.git.commit.startsWith(s.label) ? s.label.slice(0, 12) : s.label;
  return name.length > 30 ? `${name.slice(0, 29)}…` : name;
}

/** "disk probe at disks=2000 (upstream)". */
export function trendName(t: Trend): string {
  return `${phaseLabel(t.metric)} at ${t.point} (${t.variant})`;
}

/** "35.9 s → 173 s, ×4.82 [×4.10, ×5.61], p 0.0079": old, new, ratio with its interval, p. */
export function changeText(c: TimeComparison): string {
  return `${secs(c.medianOld)} s → ${secs(c.medianNew)} s, ${ratio(c.ratio)} [${ratio(c.ratioCI.lower)}, ${ratio(c.ratioCI.upper)}], p ${pValue(c.pValue)}`;
}

/** One paste-able line per step and drift of a finding, e.g. "between A and B, disk probe at disks=2000 (upstream) 35.9 s → 173 s, ...". */
export function findingLines(history: HistoryFile, f: Finding): string[] {
  const name = (i: number) => sourceName(history.sources[i]!);
  const lines = f.result.steps.map((s, i) => {
    const where = s.kind === 'blip' ? `at ${name(s.at)} only` : `between ${name(s.from)} and ${name(s.at)}`;
    if (s.kind === 'candidate') return candidateLine(`${where}, ${trendName(f.trend)} ${changeText(s.comparison)}`, f, i);
    const head = `${where}, ${trendName(f.trend)} ${changeText(s.comparison)}: ${s.verdict}`;
    if (s.kind === 'blip') return `${head}, back at ${name(s.undoneAt!)}: one source off, not a step`;
    const kept = s.kind === 'step' ? `${head}, holds to the last source` : `${head}, undone at ${name(s.undoneAt!)}`;
    const check = f.checks[i];
    switch (stepCheck(f, i)) {
      case 'unchecked':
        return kept;
      case 'confirmed':
        return `${kept}; confirmed ${sideBySideText(check!)}`;
      case 'undecided':
        return `${kept}; undecided ${sideBySideText(check!)}: not counted${moreTrialsHint(check!)}`;
      case 'refuted':
        return `${kept}; NOT a step: ${sideBySideText(check!)} (the host's load differed between the sources' runs)`;
    }
  });
  const d = f.result.drift;
  const explained = d && standingSteps(f).some(({ step }) => step.kind === 'candidate' && step.verdict === d.comparison.verdict);
  if (d && !explained) lines.push(`from ${name(d.from)} to ${name(d.to)}, ${trendName(f.trend)} drifted ${changeText(d.comparison)}: ${d.comparison.verdict} with no single step between neighbours`);
  return lines;
}

/** "side by side ×2.41, p 1.2e-4, SLOWER (10 + 10 trials)". */
export function sideBySideText(c: SideBySide): string {
  return `side by side ${ratio(c.comparison.ratio)}, p ${pValue(c.comparison.pValue)}, ${c.comparison.verdict} (${c.before.length} + ${c.after.length} trials)`;
}

/** Where an undecided check is the pair's first one, how to give it more trials. */
function moreTrialsHint(c: SideBySide): string {
  return c.moreTrials ? '' : ' (history --resume DIR --decide-up-to N boots more trials)';
}

/** A candidate's line: undecided between the sources' own runs, and what booting them side by side said. */
function candidateLine(head: string, f: Finding, i: number): string {
  const s = f.result.steps[i]!;
  const said = `${head}: undecided, ${s.verdict} to the last source`;
  const check = f.checks[i];
  switch (stepCheck(f, i)) {
    case 'confirmed':
      return `${said}; decided ${sideBySideText(check!)}`;
    case 'refuted':
      return `${said}; NOT a step: ${sideBySideText(check!)}`;
    case 'undecided':
      return `${said}; still undecided ${sideBySideText(check!)}${moreTrialsHint(check!)}`;
    case 'unchecked':
      return `${said}; not booted side by side yet (history --resume DIR --decide-up-to N boots it)`;
  }
}
