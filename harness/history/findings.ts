import { changePoints, leaning, type ChangePoints, type CompareOptions, type Step, type TimeComparison } from '../analyze/index.js';
import { phaseLabel } from '../record/phases.js';
import { pValue, ratio, secs } from '../report/units.js';
import type { HistoryFile, HistorySource } from './history-file.js';
import type { Trend } from './trend.js';

/** A step's two sources booted again, alternately, in one run (check-steps.ts): times in ms and their comparison. */
export interface SideBySide {
  before: number[];
  after: number[];
  comparison: TimeComparison;
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
 * (SAME, the other way, or undecided without even leaning the step's way: the sources' own runs
 * differed by the host's load, not by QEMU); undecided: side by side the test cannot decide yet
 * leans the step's way (ratio beyond the threshold, interval clear of 1), so more trials may
 * (decide-candidates.ts); unchecked: not booted so.
 */
export type StepCheck = 'confirmed' | 'refuted' | 'unchecked' | 'undecided';

export function stepCheck(f: Finding, i: number): StepCheck {
  const c = f.checks[i];
  const step = f.result.steps[i]!;
  if (!c) return 'unchecked';
  if (c.comparison.verdict === step.verdict) return 'confirmed';
  return c.comparison.verdict === 'UNKNOWN' && leaning(c.comparison) === step.verdict ? 'undecided' : 'refuted';
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
        return `${kept}; undecided ${sideBySideText(check!)}: not counted until decided`;
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
      return `${said}; still undecided ${sideBySideText(check!)}`;
    case 'unchecked':
      return `${said}; not booted side by side yet (history --resume DIR --decide-up-to N boots it)`;
  }
}
