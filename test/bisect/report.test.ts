import t from 'tap';
import { bisectReport } from '../../harness/bisect/report.js';
import type { BisectState } from '../../harness/bisect/state.js';

const commit = (sha: string, visit: number, status: 'fast' | 'slow' | 'skip', values: number[], extra: object = {}) => ({
  sha: sha.repeat(40),
  subject: `commit ${sha}`,
  status,
  values,
  visit,
  ...extra,
});

const state: BisectState = {
  version: 1,
  repo: '/src/qemu',
  good: 'a'.repeat(40),
  bad: 'b'.repeat(40),
  goodRev: 'v7.1.0',
  badRev: 'v7.2.0',
  caseName: 'bisect-400',
  caseText: 'disks: 400\n',
  metric: 'totalMs',
  runs: { calibration: 5, step: 3, max: 7, verify: 3 },
  calibration: { good: [6500], bad: [14670], midpoint: 9765 },
  commits: {
    ['a'.repeat(40)]: commit('a', 0, 'fast', [6500], { median: 6500 }),
    ['b'.repeat(40)]: commit('b', 1, 'slow', [14670], { median: 14670 }),
    ['c'.repeat(40)]: commit('c', 2, 'fast', [8800, 6500, 10000, 10100], { median: 9400, midpoint: 14600, beside: { good: [9750], bad: [22000] } }),
  },
  culprit: { sha: 'b'.repeat(40), subject: 'commit b', confirmed: true, evidence: 'x2.0' },
};

t.test('bisect.md says which commits were classified against endpoints measured beside them', async (t) => {
  const md = bisectReport(state);
  t.match(md, /\*\*First slow commit: bbbbbbbbbbbb "commit b"\*\* — confirmed/);
  t.match(md, /^- cccccccccccc was classified against the ends run beside it after it straddled the calibrated midpoint: 1 run each, medians 9\.75 and 22\.00 s, midpoint 14\.60 s\.$/m);
  t.notMatch(md, /aaaaaaaaaaaa was classified/, 'commits decided by the calibration get no such line');
  t.match(bisectReport({ ...state, runs: { ...state.runs, paired: true } }), /^- cccccccccccc was classified against the ends run beside it \(--paired\): /m);
});
