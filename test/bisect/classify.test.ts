import t from 'tap';
import { calibrate, classifyCommit, confirmCulprit, nextStepAction } from '../../harness/bisect/classify.js';

const good = [4.4, 4.6, 4.5, 4.7, 4.55];
const bad = [13.1, 12.6, 13.8, 12.9, 13.3];

t.test('calibration accepts endpoints that differ and places the midpoint between them', async (t) => {
  const cal = calibrate(good, bad);
  t.equal(cal.comparison.verdict, 'SLOWER');
  t.ok(cal.midpoint > 4.5 && cal.midpoint < 13.1);
  t.equal(Math.round(cal.midpoint * 100) / 100, Math.round(Math.sqrt(4.55 * 13.1) * 100) / 100);
});

t.test('calibration refuses endpoints that measure the same, or a faster bad', async (t) => {
  t.throws(() => calibrate(good, [4.52, 4.61, 4.43, 4.71, 4.58]), { kind: 'input', message: /not measurably slower/ });
  t.throws(() => calibrate(bad, good), { kind: 'input', message: /slower/ });
});

t.test('a commit is fast or slow only when its interval is on one side of the midpoint', async (t) => {
  const cal = calibrate(good, bad);
  t.equal(classifyCommit([4.5, 4.8, 4.4], cal.midpoint).verdict, 'fast');
  t.equal(classifyCommit([12.9, 13.5, 13.0], cal.midpoint).verdict, 'slow');
  t.equal(classifyCommit([4.5, 13.0, 8.0], cal.midpoint).verdict, 'undecided', 'straddling: more runs');
  t.equal(classifyCommit([4.5, 13.0, 6.0], cal.midpoint, true).verdict, 'fast', 'at the last run the median decides');
});

// A step of a real bisect (the e2e history at 400 disks, s) that went wrong on a shared host:
// calibrated on a quiet host, its commit (identical to good) then ran while other builds and
// tests loaded both cores.
const quietGood = [6.48, 6.5, 6.41, 6.62, 6.55];
const quietBad = [14.5, 14.67, 14.9, 14.61, 14.8];
const driftedFirstRuns = [8.8, 6.5, 10.0];
const runs = { step: 3, max: 7 };

t.test('a commit clearly on one side of the calibrated midpoint is decided without measuring the endpoints', async (t) => {
  const cal = calibrate(quietGood, quietBad);
  t.same(nextStepAction({ commit: [], beside: { good: [], bad: [] } }, cal, runs), { kind: 'measure', endpoints: false, commitRuns: 3 });
  t.match(nextStepAction({ commit: [6.6, 6.5, 6.7], beside: { good: [], bad: [] } }, cal, runs), { kind: 'decided', verdict: 'fast', against: 'calibration' });
  t.match(nextStepAction({ commit: [14.2, 14.9, 14.4], beside: { good: [], bad: [] } }, cal, runs), { kind: 'decided', verdict: 'slow', against: 'calibration' });
});

t.test('a straddling commit is measured beside both endpoints and classified against them: host drift cancels', async (t) => {
  const cal = calibrate(quietGood, quietBad);
  t.same(nextStepAction({ commit: driftedFirstRuns, beside: { good: [], bad: [] } }, cal, runs), { kind: 'measure', endpoints: true, commitRuns: 1 });
  // Its later runs were 10.0-10.3 s: at 7 runs the calibrated midpoint alone calls it slow.
  const sevenRuns = [...driftedFirstRuns, 10.1, 10.3, 10.2, 10.0];
  t.equal(classifyCommit(sevenRuns, cal.midpoint, true).verdict, 'slow', 'the old rule misreads the drifted good commit');
  // The endpoints under the same load (here: the calibrated ends 1.5x slower) put the midpoint where the host now is.
  const beside = { good: [9.75, 9.9, 9.7], bad: [22.0, 21.8, 22.3] };
  const action = nextStepAction({ commit: sevenRuns, beside }, cal, runs);
  t.match(action, { kind: 'decided', verdict: 'fast', against: 'beside' });
  t.ok(action.kind === 'decided' && action.midpoint > 14 && action.midpoint < 15, 'midpoint of the endpoints as measured beside it');
  t.match(nextStepAction({ commit: [...driftedFirstRuns, 10.1], beside: { good: [9.75], bad: [22.0] } }, cal, runs), { kind: 'decided', verdict: 'fast' }, 'one round can be enough');
});

t.test('at the last run: the median decides against the endpoints beside it, or the step is skipped when they no longer differ', async (t) => {
  const cal = calibrate(quietGood, quietBad);
  const straddling = [8, 12, 9, 11, 9.5, 10.5, 10];
  t.match(nextStepAction({ commit: straddling, beside: { good: [6.5, 6.6, 6.4, 6.5], bad: [14.6, 14.7, 14.5, 14.6] } }, cal, runs), { kind: 'decided', verdict: 'slow', against: 'beside' });
  t.same(nextStepAction({ commit: straddling.slice(0, 5), beside: { good: [9, 11], bad: [10, 9.5] } }, cal, runs), { kind: 'measure', endpoints: true, commitRuns: 1 });
  t.match(nextStepAction({ commit: straddling, beside: { good: [9, 11, 10, 10.2], bad: [10, 9.5, 10.1, 9.9] } }, cal, runs), { kind: 'skip', reason: /no longer differ/ });
});

t.test('paired: the ends run beside the commit from its first run, and only they decide', async (t) => {
  // Calibrated on a host 1.7x faster than this one: the good commit looks decisively slow against it.
  const cal = calibrate(quietGood.map((v) => v / 1.7), quietBad.map((v) => v / 1.7));
  const paired = { ...runs, paired: true };
  t.equal(classifyCommit([6.5, 6.6, 6.4], cal.midpoint).verdict, 'slow', 'the stale calibration alone would mislead');
  t.same(nextStepAction({ commit: [], beside: { good: [], bad: [] } }, cal, paired), { kind: 'measure', endpoints: true, commitRuns: 1 });
  t.same(nextStepAction({ commit: [6.5, 6.6], beside: { good: [6.4, 6.5], bad: [14.6, 14.7] } }, cal, paired), { kind: 'measure', endpoints: true, commitRuns: 1 }, 'not before --runs rounds');
  t.match(nextStepAction({ commit: [6.5, 6.6, 6.4], beside: { good: [6.4, 6.5, 6.6], bad: [14.6, 14.7, 14.5] } }, cal, paired), { kind: 'decided', verdict: 'fast', against: 'beside' });
});

t.test('the culprit is confirmed by its ratio to its parent, interleaved: more than half of the regression', async (t) => {
  const cal = calibrate(quietGood, quietBad);
  // The e2e bisect's verification: culprit and parent, 3 fresh runs each.
  const culprit = [13.41, 13.3, 13.29];
  const parent = [6.76, 6.91, 6.87];
  const v = confirmCulprit(culprit, parent, cal);
  t.ok(v.confirmed, `x${v.ratio.toFixed(2)} against x${v.needed.toFixed(2)} needed`);
  t.ok(confirmCulprit(culprit.map((x) => x * 1.5), parent.map((x) => x * 1.5), cal).confirmed, 'a load that slows both alike changes nothing');
  t.notOk(confirmCulprit([8.2, 8.3, 8.1], parent, cal).confirmed, 'a commit that accounts for a fifth of the regression is not the culprit');
});
