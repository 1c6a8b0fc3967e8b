import t from 'tap';
import { iqr, mad, median, quantile, summarize } from '../../harness/analyze/index.js';

// Reference values are R 4.x defaults: quantile(type = 7), mad(constant = 1.4826).
t.test('median, quantiles, IQR match R', async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 3, 2]), 2.5);
  // R: quantile(1:10) -> 1.00 3.25 5.50 7.75 10.00 ; IQR(1:10) = 4.5
  const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  t.equal(quantile(xs, 0.25), 3.25);
  t.equal(quantile(xs, 0.5), 5.5);
  t.equal(quantile(xs, 0.75), 7.75);
  t.equal(quantile(xs, 0), 1);
  t.equal(quantile(xs, 1), 10);
  t.equal(iqr(xs), 4.5);
});

t.test('MAD matches R mad()', async (t) => {
  // mad(c(1,2,3,4,100)): median 3, |dev| = 2 1 0 1 97 -> median 1 -> 1.4826
  t.equal(mad([1, 2, 3, 4, 100]), 1.4826);
  t.equal(mad([1, 2, 3, 4, 100], 1), 1);
  // mad(1:10) = 1.4826 * 2.5 = 3.7065
  t.ok(Math.abs(mad([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) - 3.7065) < 1e-12);
});

t.test('inputs are validated and never mutated', async (t) => {
  t.throws(() => median([]));
  t.throws(() => median([1, Number.NaN]));
  t.throws(() => median([1, Infinity]));
  t.throws(() => quantile([1, 2], 1.5));
  const xs = [5, 3, 1];
  median(xs);
  iqr(xs);
  t.same(xs, [5, 3, 1]);
});

t.test('summarize reports order statistics and a CI around the median', async (t) => {
  const xs = [102, 98, 101, 250, 99, 100, 103];
  const s = summarize(xs, { seed: 1 });
  t.equal(s.n, 7);
  t.equal(s.median, 101);
  t.equal(s.min, 98);
  t.equal(s.max, 250);
  t.equal(s.q1, 99.5);
  t.equal(s.q3, 102.5);
  t.equal(s.iqr, 3);
  t.equal(s.mad, 1.4826 * 2);
  t.ok(s.medianCI.lower <= s.median && s.median <= s.medianCI.upper);
  t.ok(s.medianCI.upper < 250, 'one outlier does not drag the CI of the median');
  t.equal(s.medianCI.level, 0.95);
});
