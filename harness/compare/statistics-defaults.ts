import { DEFAULT_ALPHA, DEFAULT_THRESHOLD } from '../analyze/verdict.js';
import type { PhaseName } from '../record/phases.js';

/**
 * What a comparison decides with unless told otherwise: `compare`, `report`, `review` and
 * `run`'s adaptive repetitions. A module of its own, so that the command line can show these
 * defaults in --help without loading the comparison itself.
 */
export const defaultStatistics: { metric: PhaseName; threshold: number; alpha: number } = {
  metric: 'totalMs',
  threshold: DEFAULT_THRESHOLD,
  alpha: DEFAULT_ALPHA,
};
