import { extendPlan, type Plan, type Trial } from '../../case/matrix.js';
import type { LoadedCase } from '../../case/schema.js';
import { adaptiveLooks, extensionsFrom, type AdaptiveRule, type Look } from './adaptive.js';
import type { Observation } from '../../record/observation.js';

/** Where a run stands; updated in place, so an interrupt handler can say how far it got. */
export interface ScheduleState {
  plan: Plan;
  /** Trial ids in the journal. */
  done: Set<string>;
  observations: Observation[];
}

/**
 * Runs the plan's trials not yet done, in order; when none is left, looks at the comparisons
 * (adaptive repetitions) and, while they ask for more, extends the plan and goes on. The same
 * loop serves a fresh run and a resumed one: for a resume, `done` holds the journal's trial
 * ids, so a round whose trials are all recorded just replays its look, and the plan grows as
 * it did the first time.
 */
export async function runSchedule(
  cases: LoadedCase[],
  state: ScheduleState,
  rule: AdaptiveRule,
  runOne: (trial: Trial) => Promise<Observation>,
  onExtend: (looks: Look[], added: number) => void,
): Promise<void> {
  for (;;) {
    for (const trial of state.plan.trials) {
      if (state.done.has(trial.trialId)) continue;
      const obs = await runOne(trial);
      state.done.add(trial.trialId);
      state.observations.push(obs);
    }
    const looks = adaptiveLooks(cases, state.plan, state.observations, rule);
    const extensions = extensionsFrom(looks);
    if (extensions.length === 0) return;
    const before = state.plan.trials.length;
    state.plan = extendPlan(state.plan, extensions);
    onExtend(looks, state.plan.trials.length - before);
  }
}
