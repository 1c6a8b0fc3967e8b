import { DEFAULT_ALPHA, DEFAULT_THRESHOLD } from '../analyze/index.js';

/** The change-point rule (analyze/change-points.ts) in words, for the report and --help alike. */
export const changeRule =
  'Neighbouring sources are compared as emuflock compare does (median ratio with its bootstrap interval, and the p of the test compare picks: Welch\'s t on log times or the rank test; ' +
  `threshold ${DEFAULT_THRESHOLD * 100}% and alpha ${DEFAULT_ALPHA} unless given). A decided comparison (SLOWER or FASTER) is a step when every later ` +
  'source compares the same way with the source before it, or is undecided but leans that way (ratio beyond the threshold, interval clear of 1): the new level holds to the last source. One that holds ' +
  'for two or more sources and then no longer does is a step undone (named where); one that holds at one source only ' +
  'is a blip, one source off, not a step, and the sources on either side of it are compared instead. A change from ' +
  'the first source to the last that no step explains is a drift. A candidate is a neighbour pair the test leaves undecided ' +
  'although its ratio lies beyond the threshold and its interval clear of 1, the same way (two trials a side at least), and every later source ' +
  'compares that way with the source before it, decided or not: too few trials to call it. Its two sources are booted side by ' +
  'side with more trials until the test decides; decided the way it pointed, it counts as a step. Every step is booted side by side ' +
  'too: it stands when that run decides it the same way; undecided there with its ratio still beyond the threshold that way, it is ' +
  'not counted until a run with more trials decides it; otherwise it is not a step (a candidate is refuted only by a decided answer ' +
  'or by its own run with more trials). Everything else is noise. ' +
  'An open regression is a SLOWER step that holds to the last source.';
