/**
 * Which test decides a comparison of times: the rule, fixed before any difference is seen.
 *
 *   Welch's t-test on log times  when each side has at least 3 trials, neither side more than
 *                                twice the other's, its times are not all equal, and
 *                                Shapiro-Wilk finds no evidence (p >= 0.05) that its log times
 *                                are not normal;
 *   the rank test (Mann-Whitney)  otherwise.
 *
 * The rule reads each side alone (its size, its spread, the shape of its log times), never the
 * difference between the sides, so it cannot pick the test that gives the wanted answer.
 * Why a second test at all: the rank test's smallest two-sided p with 3 + 3 trials is 0.1, so at
 * alpha 0.01 it cannot decide a tenfold change that every trial shows; Welch's test can, when the
 * data are shaped for it. Why Shapiro-Wilk at 5%: it is the usual screen for small samples and
 * the one R and scipy ship, so a reader can redo it; a side with an outlier (a boot slowed by a
 * busy neighbour) fails it from about 5 trials up and goes to the rank test, where one wild trial
 * moves one rank only. At 3 trials the screen can catch little, which is why the verdict's other
 * gates stay (its interval and its 5% threshold), and why the resampling study
 * (bench/verdict-study.ts) measured the false-alarm rate at 3 + 3 on real journals.
 * Why balanced sides: unequal sizes come from adaptive repetitions that spend their new trials
 * on the cheap side (3 slow + 10 fast boots), sizes cut for the rank test's resolution
 * (analyze/allocation.ts); Welch's degrees of freedom stay those of the small, noisy side
 * however many cheap trials are added, so such a plan is the rank test's to decide. Seen on a
 * loaded host: 3 unfixed 500-disk boots of 37-73 s against 10 fixed ones, every one apart,
 * undecided by Welch's test and so grown to 10 + 10.
 */
import { shapiroWilk, SHAPIRO_WILK_MAX_N, SHAPIRO_WILK_MIN_N } from './shapiro-wilk.js';

export type TestName = 'welch-log' | 'rank';

export interface TestChoice {
  test: TestName;
  /** Why, in a few words: "log times normal (Shapiro-Wilk p 0.41, 0.77)". */
  why: string;
}

/** The level at which a side's log times count as not normal. */
export const NORMALITY_ALPHA = 0.05;

/** How each test is named in a verdict. */
export const testLabels: Record<TestName, string> = {
  'welch-log': 'Welch on log times',
  rank: 'rank test',
};

/** The side's log times fail the screen: why, or undefined when they pass with Shapiro-Wilk's p. */
function screen(times: readonly number[], side: string): { fails: string } | { p: number } {
  if (times.length < SHAPIRO_WILK_MIN_N) return { fails: `${side} side has fewer than ${SHAPIRO_WILK_MIN_N} trials` };
  if (times.length > SHAPIRO_WILK_MAX_N) return { fails: `${side} side has more than ${SHAPIRO_WILK_MAX_N} trials` };
  const logs = times.map(Math.log);
  if (Math.max(...logs) === Math.min(...logs)) return { fails: `${side} side's times are all equal` };
  const { pValue } = shapiroWilk(logs);
  if (pValue < NORMALITY_ALPHA) return { fails: `${side} side's log times not normal (Shapiro-Wilk p ${pValue.toPrecision(2)})` };
  return { p: pValue };
}

/** The test for comparing `older` with `newer` (positive times), by the rule above. */
export function chooseTest(older: readonly number[], newer: readonly number[]): TestChoice {
  const [small, large] = [Math.min(older.length, newer.length), Math.max(older.length, newer.length)];
  if (small > 0 && large > 2 * small) return { test: 'rank', why: `sides of unequal size (${older.length} and ${newer.length})` };
  const o = screen(older, 'old');
  const n = screen(newer, 'new');
  if ('fails' in o) return { test: 'rank', why: o.fails };
  if ('fails' in n) return { test: 'rank', why: n.fails };
  return { test: 'welch-log', why: `log times normal (Shapiro-Wilk p ${o.p.toPrecision(2)}, ${n.p.toPrecision(2)})` };
}

/** The rule in one sentence, for the texts that explain a verdict (compare, report, review). */
export const testRuleText =
  "Welch's t-test on log times (ratio of geometric means, t interval) where each side has 3 or more trials, neither more than twice the other's, whose log times pass Shapiro-Wilk at 5%, " +
  'else the Mann-Whitney rank test (ratio of medians, bootstrap interval)';
