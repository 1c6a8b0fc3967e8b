import t from 'tap';
import { compareCounts } from '../../harness/analyze/index.js';

t.test('constant and equal counts are EQUAL', async (t) => {
  const c = compareCounts([1024, 1024, 1024], [1024, 1024]);
  t.equal(c.verdict, 'EQUAL');
  t.equal(c.old.value, 1024);
  t.equal(c.new.value, 1024);
  t.equal(c.difference, 0);
  t.equal(c.old.trials, 3);
  t.ok(c.old.constant && c.new.constant);
});

t.test('constant but different counts are DIFFERENT, never averaged', async (t) => {
  const c = compareCounts([4097, 4097, 4097], [2, 2, 2]);
  t.equal(c.verdict, 'DIFFERENT');
  t.equal(c.difference, -4095);
});

t.test('a side that varies across trials is INCONSISTENT', async (t) => {
  const c = compareCounts([10, 10, 10], [10, 11, 10]);
  t.equal(c.verdict, 'INCONSISTENT');
  t.equal(c.new.constant, false);
  t.equal(c.new.value, null);
  t.same(c.new.values, [10, 11]);
  t.equal(c.difference, null);
  t.equal(compareCounts([3, 4], [3, 3]).verdict, 'INCONSISTENT', 'also when the old side varies');
  // Even when the means would agree.
  t.equal(compareCounts([1, 3], [2, 2]).verdict, 'INCONSISTENT');
});

t.test('invalid input', async (t) => {
  t.throws(() => compareCounts([], [1]));
  t.throws(() => compareCounts([1.5], [1]));
  t.throws(() => compareCounts([1], [Number.NaN]));
});
