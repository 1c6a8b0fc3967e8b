import type { Observation } from '../record/observation.js';
import type { PhaseName } from '../record/phases.js';

/**
 * Which trials a statistic may use: ok and counted. A failed trial's phases stop wherever it
 * failed, and a warm-up exists to be thrown away; either would bias a median. What is left out
 * is counted by reason, so a comparison can say what it did not look at.
 */
export interface Usable {
  used: Observation[];
  /** Reason ("warm-up", an outcome such as "timeout", "no <metric>") → number of trials. */
  excluded: Map<string, number>;
}

export function usableTrials(observations: readonly Observation[], metric: PhaseName): Usable {
  const used: Observation[] = [];
  const excluded = new Map<string, number>();
  const exclude = (why: string) => excluded.set(why, (excluded.get(why) ?? 0) + 1);
  for (const o of observations) {
    if (o.warmup) exclude('warm-up');
    else if (o.outcome !== 'ok') exclude(o.outcome);
    else if (!(typeof o.phases[metric] === 'number' && o.phases[metric] > 0)) exclude(`no ${metric}`);
    else used.push(o);
  }
  return { used, excluded };
}

/** The metric of trials that passed usableTrials, in ms. */
export function metricValues(used: readonly Observation[], metric: PhaseName): number[] {
  return used.map((o) => o.phases[metric]!);
}

/** "2 warm-up, 1 timeout", or "" when nothing was left out. */
export function describeExcluded(excluded: Map<string, number>): string {
  return [...excluded].map(([why, n]) => `${n} ${why}`).join(', ');
}
