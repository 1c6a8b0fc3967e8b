import { basename, extname } from 'node:path';
import { median } from '../analyze/robust.js';
import { compareTimes, type TimeComparison } from '../analyze/verdict.js';
import { testLabels } from '../analyze/test-choice.js';
import { formatDuration } from '../core/duration.js';
import type { Claim, ClaimsFile } from './claims.js';
import type { Observation } from '../record/observation.js';
import { type PhaseName, phaseNames } from '../record/phases.js';

/** What this host showed for one claim. */
export interface ClaimResult {
  claim: Claim;
  /** Our figure, e.g. "2m31s (median of 3)"; "-" when nothing was measured. */
  ours: string;
  /** The verdict against the claim's other variant, the limit found, or why nothing was shown. */
  verdict: string;
  /** The case whose charts show it (absent for a claim that cannot run here). */
  caseName?: string;
}

export interface ClaimOptions {
  threshold: number;
  alpha: number;
}

/** The case a claim's case file becomes in a run: its file name without the extension. */
export const caseNameOf = (file: string): string => basename(file, extname(file));

export function claimResults(claims: ClaimsFile, observations: readonly Observation[], opts: ClaimOptions): ClaimResult[] {
  return claims.claims.map((claim) => {
    if (claim.cannotRun !== undefined) return { claim, ours: '-', verdict: `not run here: ${claim.cannotRun}` };
    const caseName = caseNameOf(claims.caseFiles.get(claim.id)!);
    const trials = observations.filter((o) => o.case === caseName && !o.warmup);
    if (trials.length === 0) return { claim, caseName, ours: '-', verdict: `not measured: the run has no trial of ${caseName}` };
    if (claim.measure) return { claim, caseName, ...measured(claim.measure, trials, opts) };
    if (claim.tally) return { claim, caseName, ...tallied(claim.tally, trials) };
    return { claim, caseName, ...limitFound(claim.limit!, trials) };
  });
}

type Measure = NonNullable<Claim['measure']>;

function measured(m: Measure, trials: readonly Observation[], opts: ClaimOptions): Pick<ClaimResult, 'ours' | 'verdict'> {
  const at = trials.filter((o) => matchesPoint(o, m.point));
  const values = (variant: string | undefined) =>
    at.filter((o) => o.outcome === 'ok' && (variant === undefined || o.variant.name === variant)).flatMap((o) => perValue(o, m));
  const ours = values(m.variant);
  const failed = at.filter((o) => o.outcome !== 'ok' && (m.variant === undefined || o.variant.name === m.variant));
  if (ours.length === 0) {
    const why = failed[0] ? `${failed[0].outcome}${failed[0].error ? `: ${firstLine(failed[0].error.message)}` : ''}` : 'no trial at this point';
    return { ours: '-', verdict: `not measured: ${why}` };
  }
  const shown = `${formatValue(median(ours), unitOf(m))} (median of ${ours.length}${failed.length ? `; ${outcomeCounts(failed)}` : ''})`;
  if (!m.against) return { ours: shown, verdict: '' };
  const base = values(m.against);
  if (base.length === 0) return { ours: shown, verdict: `no ok trial of ${m.against} to compare with` };
  return { ours: shown, verdict: verdictText(compareTimes(base, ours, { ...opts, seed: 1 }), m.against, unitOf(m)) };
}

/** The largest value of the parameter at which every trial ended ok, and the first at which one did not. */
function limitFound(l: NonNullable<Claim['limit']>, trials: readonly Observation[]): Pick<ClaimResult, 'ours' | 'verdict'> {
  const mine = trials.filter((o) => l.variant === undefined || o.variant.name === l.variant);
  const values = [...new Set(mine.map((o) => paramOf(o, l.along)).filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b);
  if (values.length === 0) return { ours: '-', verdict: `not measured: no trial sets ${l.along}` };
  let lastOk: number | undefined;
  for (const v of values) {
    const at = mine.filter((o) => paramOf(o, l.along) === v);
    const bad = at.find((o) => o.outcome !== 'ok');
    if (bad) {
      const ours = lastOk === undefined ? `none ok (from ${l.along} = ${values[0]})` : `${l.along} = ${lastOk} ok`;
      return { ours, verdict: `limit at ${l.along} = ${v}: ${bad.outcome}${bad.error ? ` (${firstLine(bad.error.message)})` : ''}` };
    }
    lastOk = v;
  }
  return { ours: `${l.along} = ${lastOk} ok`, verdict: `no limit met up to ${l.along} = ${lastOk}` };
}

/** "64 completed, 32 no-port (of 96)"; the verdict gives each minority value's first reason. */
function tallied(tally: NonNullable<Claim['tally']>, trials: readonly Observation[]): Pick<ClaimResult, 'ours' | 'verdict'> {
  const items = trials
    .filter((o) => matchesPoint(o, tally.point) && (tally.variant === undefined || o.variant.name === tally.variant))
    .flatMap((o) => {
      const list = pathValue(o, tally.list);
      return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
    });
  if (items.length === 0) return { ours: '-', verdict: `not measured: no trial at this point has ${tally.list}` };
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const item of items) {
    const key = String(item[tally.by]);
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  const ranked = [...groups].sort((a, b) => b[1].length - a[1].length);
  const ours = `${ranked.map(([key, g]) => `${g.length} ${key}`).join(', ')} (of ${items.length})`;
  const reasons = ranked.slice(1).flatMap(([key, g]) => {
    const reason = g.map(reasonOf).find((r): r is string => typeof r === 'string');
    return reason ? [`${key}: ${firstLine(reason)}`] : [];
  });
  return { ours, verdict: reasons.join('; ') };
}

/** Why an item is what it is: a migration's `reason`, a guest's `error.message`. */
function reasonOf(item: Record<string, unknown>): unknown {
  const error = item.error as { message?: unknown } | undefined;
  return item.reason ?? error?.message;
}

function verdictText(c: TimeComparison, against: string, unit: Unit): string {
  const factor = c.speedup >= 1 ? `${c.speedup.toFixed(c.speedup >= 10 ? 0 : 1)}× faster` : `${(1 / c.speedup).toFixed(1)}× slower`;
  return `${c.verdict}: ${factor} than ${against} (${formatValue(c.medianOld, unit)}; ${c.nOld} vs ${c.nNew} trials, p = ${c.pValue.toPrecision(2)}, ${testLabels[c.method]})`;
}

type Unit = 'time' | 'KiB' | 'count';

function unitOf(m: Measure): Unit {
  return m.unit ?? (phaseNames.includes(m.metric as PhaseName) ? 'time' : 'count');
}

function formatValue(x: number, unit: Unit): string {
  if (unit === 'time') return x < 60_000 ? `${(x / 1000).toFixed(x < 10_000 ? 2 : 1)} s` : formatDuration(x);
  if (unit === 'KiB') return x >= 1024 * 1024 ? `${(x / 1024 / 1024).toFixed(2)} GiB` : `${(x / 1024).toFixed(0)} MiB`;
  return Number.isInteger(x) ? String(x) : x.toPrecision(3);
}

/** The metric of one trial (a phase, or a path into its record), divided by `per` when given. */
function perValue(o: Observation, m: Measure): number[] {
  const v = phaseNames.includes(m.metric as PhaseName) ? o.phases[m.metric as PhaseName] : pathValue(o, m.metric);
  if (typeof v !== 'number') return [];
  if (!m.per) return [v];
  const d = paramOf(o, m.per);
  return typeof d === 'number' && d > 0 ? [v / d] : [];
}

function pathValue(o: Observation, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), o);
}

function paramOf(o: Observation, name: string): unknown {
  return (o.params as unknown as Record<string, unknown>)[name];
}

function matchesPoint(o: Observation, point: Measure['point']): boolean {
  return Object.entries(point).every(([k, v]) => sameValue(paramOf(o, k), v));
}

/** A parameter's value as a case gives it: a map (env) by content, its values as strings; absent = {} for a map. */
function sameValue(actual: unknown, wanted: unknown): boolean {
  if (wanted === null || typeof wanted !== 'object') return actual === wanted;
  const a = (actual ?? {}) as Record<string, unknown>;
  const w = wanted as Record<string, unknown>;
  return Object.keys(a).length === Object.keys(w).length && Object.entries(w).every(([k, v]) => String(a[k]) === String(v));
}

/** "2 timeout, 1 qemu-crashed": the trials that did not count, by outcome. */
function outcomeCounts(trials: readonly Observation[]): string {
  const counts = new Map<string, number>();
  for (const o of trials) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
}

const firstLine = (s: string) => (s.split('\n')[0] ?? '').slice(0, 160);
