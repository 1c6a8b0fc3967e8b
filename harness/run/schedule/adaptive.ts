import { cheapestSizes, compareTimes, equivalentPerSide, median, samplingAdvice, type Sides, type Verdict } from '../../analyze/index.js';
import { caseUnits, unitKey, type Extension, type Plan, type TrialUnit } from '../../case/matrix.js';
import { repetitionRange, type LoadedCase } from '../../case/schema.js';
import { metricValues, usableTrials } from '../../compare/samples.js';
import { defaultStatistics } from '../../compare/statistics-defaults.js';
import type { Observation } from '../../record/observation.js';
import type { PhaseName } from '../../record/phases.js';

/** What decides whether a variant needs more trials; recorded in run.json so a resume decides alike. */
export interface AdaptiveRule {
  metric: PhaseName;
  threshold: number;
  alpha: number;
}

export const defaultAdaptiveRule: AdaptiveRule = defaultStatistics;

/** One look at one variant against the baseline at one point. */
export interface Look {
  unit: TrialUnit;
  baseline: TrialUnit;
  /** Counted repetitions each side (old: the baseline) has in the plan so far. */
  reps: Sides;
  verdict: Verdict | 'NO-DATA';
  /** Repetitions each side is to reach before the next look; equal to `reps` when the look stops. */
  next: Sides;
}

/**
 * Adaptive repetition, looked at once every planned trial has run. For each case with
 * `repetitions: {min, max}`, each point, each variant other than the case's first (the
 * baseline): compare the metric (ok, counted trials only) against the baseline and ask
 * samplingAdvice whether to stop. An undecided pair grows to the resolution of the advised
 * equal plan (5 → 10 → 20 per side, capped at max), spending the new trials where they are
 * cheap (cheapestSizes: a side whose trials take 10 times longer gets fewer of them); for
 * sides of like cost that is the equal plan itself.
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
  const used = (u: TrialUnit, n: number) => usableTrials((byUnit.get(keyOf(u)) ?? []).filter((o) => o.rep < n), rule.metric).used;

  const looks: Look[] = [];
  for (const c of cases) {
    const range = repetitionRange(c.spec);
    if (range.max <= range.min) continue;
    const units = caseUnits(c);
    for (const baseline of units.filter((u) => u.variant === units[0]!.variant)) {
      for (const unit of units.filter((u) => u.point === baseline.point && u !== baseline)) {
        const have = { old: reps.get(keyOf(baseline)) ?? 0, new: reps.get(keyOf(unit)) ?? 0 };
        const oldUsed = used(baseline, have.old);
        const newUsed = used(unit, have.new);
        if (oldUsed.length === 0 || newUsed.length === 0) {
          looks.push({ unit, baseline, reps: have, verdict: 'NO-DATA', next: have });
          continue;
        }
        const { verdict } = compareTimes(metricValues(oldUsed, rule.metric), metricValues(newUsed, rule.metric), { threshold: rule.threshold, alpha: rule.alpha });
        const stage = equivalentPerSide(have);
        const advice = samplingAdvice({ verdict, nOld: stage, nNew: stage, alpha: rule.alpha }, range.max);
        const next = advice.stop ? have : cheapestSizes(have, advice.nextPerSide, { old: trialCost(oldUsed), new: trialCost(newUsed) }, range.max);
        looks.push({ unit, baseline, reps: have, verdict, next });
      }
    }
  }
  return looks;
}

/** The repetitions the looks ask for: each growing side, at the largest target any look sets it. */
export function extensionsFrom(looks: readonly Look[]): Extension[] {
  const wanted = new Map<TrialUnit, number>();
  for (const look of looks) {
    const sides: [TrialUnit, number, number][] = [
      [look.baseline, look.reps.old, look.next.old],
      [look.unit, look.reps.new, look.next.new],
    ];
    for (const [u, has, next] of sides) if (next > has) wanted.set(u, Math.max(wanted.get(u) ?? 0, next));
  }
  return [...wanted].map(([unit, reps]) => ({ unit, reps }));
}

/** What one more trial of a unit costs, in ms: its median start-up and shutdown. */
function trialCost(used: readonly Observation[]): number {
  return median(used.map((o) => (o.phases.totalMs ?? 0) + (o.phases.shutdownMs ?? 0)));
}
