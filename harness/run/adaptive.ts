import { compareTimes, samplingAdvice, DEFAULT_ALPHA, DEFAULT_THRESHOLD, type Verdict } from '../analyze/index.js';
import { caseUnits, unitKey, type Extension, type Plan, type TrialUnit } from '../case/matrix.js';
import { repetitionRange, type LoadedCase } from '../case/schema.js';
import { metricValues, usableTrials } from '../compare/samples.js';
import type { Observation, PhaseName } from '../journal/observation.js';

/** What decides whether a variant needs more trials; recorded in run.json so a resume decides alike. */
export interface AdaptiveRule {
  metric: PhaseName;
  threshold: number;
  alpha: number;
}

export const defaultAdaptiveRule: AdaptiveRule = { metric: 'totalMs', threshold: DEFAULT_THRESHOLD, alpha: DEFAULT_ALPHA };

/** One look at one variant against the baseline at one point. */
export interface Look {
  unit: TrialUnit;
  baseline: TrialUnit;
  /** Counted repetitions both have in the plan so far. */
  reps: number;
  verdict: Verdict | 'NO-DATA';
  /** Repetitions to reach before the next look; equal to `reps` when the look stops. */
  next: number;
}

/**
 * Adaptive repetition, looked at once every planned trial has run. For each case with
 * `repetitions: {min, max}`, each point, each variant other than the case's first (the
 * baseline): compare the metric (ok, counted trials only) against the baseline and ask
 * samplingAdvice whether to stop. An undecided pair grows to the advised size (5 → 10 → 20,
 * capped at max), and the baseline with it, so both sides keep equal counts.
 *
 * The look schedule counts planned repetitions, not ok ones, so a failing trial cannot keep a
 * pair growing; a pair with no ok trial on a side is not grown (more boots of a variant that
 * does not boot decide nothing). Only trials of the plan so far are looked at, so a resumed
 * run whose journal already holds later trials repeats the looks exactly.
 */
export function adaptiveLooks(cases: LoadedCase[], plan: Plan, observations: readonly Observation[], rule: AdaptiveRule): Look[] {
  const planned = new Set(plan.trials.map((t) => t.trialId));
  const reps = new Map<string, number>();
  for (const t of plan.trials) {
    if (!t.warmup) reps.set(unitKey(t.case, t.variant, t.point), Math.max(reps.get(unitKey(t.case, t.variant, t.point)) ?? 0, t.rep + 1));
  }
  const seen = new Set<string>();
  const byUnit = new Map<string, Observation[]>();
  for (const o of observations) {
    if (!planned.has(o.trialId) || seen.has(o.trialId)) continue;
    seen.add(o.trialId);
    const key = unitKey(o.case, o.variant.name, o.point);
    byUnit.set(key, [...(byUnit.get(key) ?? []), o]);
  }
  const keyOf = (u: TrialUnit) => unitKey(u.case.name, u.variant, u.point);
  // Both sides over the same repetitions: a pair decided at 5 stays decided when its baseline
  // grows for another variant's sake.
  const times = (u: TrialUnit, n: number) =>
    metricValues(usableTrials((byUnit.get(keyOf(u)) ?? []).filter((o) => o.rep < n), rule.metric).used, rule.metric);

  const looks: Look[] = [];
  for (const c of cases) {
    const range = repetitionRange(c.spec);
    if (range.max <= range.min) continue;
    const units = caseUnits(c);
    for (const baseline of units.filter((u) => u.variant === units[0]!.variant)) {
      for (const unit of units.filter((u) => u.point === baseline.point && u !== baseline)) {
        const n = Math.min(reps.get(keyOf(baseline)) ?? 0, reps.get(keyOf(unit)) ?? 0);
        const oldTimes = times(baseline, n);
        const newTimes = times(unit, n);
        if (oldTimes.length === 0 || newTimes.length === 0) {
          looks.push({ unit, baseline, reps: n, verdict: 'NO-DATA', next: n });
          continue;
        }
        const { verdict } = compareTimes(oldTimes, newTimes, { threshold: rule.threshold, alpha: rule.alpha });
        const advice = samplingAdvice({ verdict, nOld: n, nNew: n, alpha: rule.alpha }, range.max);
        looks.push({ unit, baseline, reps: n, verdict, next: advice.nextPerSide });
      }
    }
  }
  return looks;
}

/** The repetitions the looks ask for: each growing unit and its baseline, at the largest target. */
export function extensionsFrom(looks: readonly Look[]): Extension[] {
  const wanted = new Map<TrialUnit, number>();
  for (const look of looks) {
    if (look.next <= look.reps) continue;
    for (const u of [look.baseline, look.unit]) wanted.set(u, Math.max(wanted.get(u) ?? 0, look.next));
  }
  return [...wanted].map(([unit, reps]) => ({ unit, reps }));
}
