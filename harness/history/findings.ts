import { changePoints, pValueOf, type ChangePoints, type CompareOptions, type Step, type TimeComparison } from '../analyze/index.js';
import { phaseLabels, pValue, ratio, secs } from '../report/units.js';
import type { HistoryFile, HistorySource } from './history-file.js';
import type { Trend } from './trend.js';

/** A trend and what the change-point rule (analyze/change-points.ts) says of it. */
export interface Finding {
  trend: Trend;
  result: ChangePoints;
}

export function findChanges(trends: readonly Trend[], opts: CompareOptions): Finding[] {
  return trends.map((trend) => ({ trend, result: changePoints(trend.levels, opts) }));
}

/** A step that holds to the last source and made things slower: what a history is read for. */
export interface OpenRegression {
  finding: Finding;
  step: Step;
}

export function openRegressions(findings: readonly Finding[]): OpenRegression[] {
  return findings.flatMap((finding) => finding.result.steps.filter((s) => s.kind === 'step' && s.verdict === 'SLOWER').map((step) => ({ finding, step })));
}

/** A source as a sentence names it: the user's name, and what it was pinned to when that differs. */
export function sourceName(s: HistorySource): string {
  if (s.git) return s.git.commit.startsWith(s.label) ? s.git.commit.slice(0, 12) : `${s.label} (${s.git.commit.slice(0, 12)})`;
  const pinned = s.spec.startsWith('debian:') ? s.spec.slice('debian:'.length) : s.spec;
  return s.label === s.spec || s.label === `debian:${pinned}` ? s.label : `${s.label} (${pinned})`;
}

/** A source as an axis label names it: short, the user's name. */
export function sourceTick(s: HistorySource): string {
  const name = s.git && s.git.commit.startsWith(s.label) ? s.label.slice(0, 12) : s.label;
  return name.length > 24 ? `${name.slice(0, 23)}…` : name;
}

/** "disk probe at disks=2000 (upstream)". */
export function trendName(t: Trend): string {
  return `${phaseLabels[t.metric]} at ${t.point} (${t.variant})`;
}

/** "35.9 s → 173 s, ×4.82 [×4.10, ×5.61], p 0.0079": old, new, ratio with its interval, p. */
export function changeText(c: TimeComparison): string {
  return `${secs(c.medianOld)} s → ${secs(c.medianNew)} s, ${ratio(c.ratio)} [${ratio(c.ratioCI.lower)}, ${ratio(c.ratioCI.upper)}], p ${pValue(pValueOf(c))}`;
}

/** One paste-able line per step and drift of a finding, e.g. "between A and B, disk probe at disks=2000 (upstream) 35.9 s → 173 s, ...". */
export function findingLines(history: HistoryFile, f: Finding): string[] {
  const name = (i: number) => sourceName(history.sources[i]!);
  const lines = f.result.steps.map((s) => {
    const where = s.kind === 'blip' ? `at ${name(s.at)} only` : `between ${name(s.from)} and ${name(s.at)}`;
    const head = `${where}, ${trendName(f.trend)} ${changeText(s.comparison)}: ${s.verdict}`;
    if (s.kind === 'step') return `${head}, holds to the last source`;
    if (s.kind === 'undone') return `${head}, undone at ${name(s.undoneAt!)}`;
    return `${head}, back at ${name(s.undoneAt!)}: one source off, not a step`;
  });
  const d = f.result.drift;
  if (d) lines.push(`from ${name(d.from)} to ${name(d.to)}, ${trendName(f.trend)} drifted ${changeText(d.comparison)}: ${d.comparison.verdict} with no single step between neighbours`);
  return lines;
}
