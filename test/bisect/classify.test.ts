import t from 'tap';
import { calibrate, classifyCommit } from '../../harness/bisect/classify.js';

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
  t.equal(classifyCommit([4.5, 4.8, 4.4], cal).verdict, 'fast');
  t.equal(classifyCommit([12.9, 13.5, 13.0], cal).verdict, 'slow');
  t.equal(classifyCommit([4.5, 13.0, 8.0], cal).verdict, 'undecided', 'straddling: more runs');
  t.equal(classifyCommit([4.5, 13.0, 6.0], cal, true).verdict, 'fast', 'at the last run the median decides');
});
