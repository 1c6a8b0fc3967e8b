import { compareRuns, type CompareReport, type RunData } from '../compare/compare.js';
import { reviewPhases } from './point-table.js';
import { phasesReached, type PhaseName } from '../record/phases.js';

/** A run's comparison on each phase a review shows: the guest's phases only where a guest ran. */
export function phaseComparisons(run: RunData, opts: { threshold: number; alpha: number; baseline: string }): Map<PhaseName, CompareReport> {
  const reports = new Map<PhaseName, CompareReport>();
  for (const metric of phasesReached(run.observations, reviewPhases)) reports.set(metric, compareRuns([run], { metric, ...opts }));
  return reports;
}
