import t from 'tap';
import { cheapestSizes, equivalentPerSide, minimumExactP } from '../../harness/analyze/index.js';

t.test('equivalentPerSide: the equal plan whose resolution (a, b) matches', async (t) => {
  t.equal(equivalentPerSide({ old: 5, new: 5 }), 5);
  t.equal(equivalentPerSide({ old: 3, new: 3 }), 3);
  t.equal(equivalentPerSide({ old: 3, new: 10 }), 5, '2/C(13,3) = 0.0070 ≤ 2/C(10,5) = 0.0079');
  t.equal(equivalentPerSide({ old: 3, new: 9 }), 4, '2/C(12,3) = 0.0091 > 0.0079');
});

t.test('cheapestSizes: equal costs keep the equal plan; unequal ones spend trials where they are cheap', async (t) => {
  t.same(cheapestSizes({ old: 3, new: 3 }, 5, { old: 1, new: 1 }, 20), { old: 5, new: 5 });
  t.same(cheapestSizes({ old: 5, new: 5 }, 10, { old: 1, new: 1.05 }, 20), { old: 10, new: 10 });
  t.same(cheapestSizes({ old: 3, new: 3 }, 5, { old: 150, new: 15 }, 20), { old: 3, new: 10 });
  t.same(cheapestSizes({ old: 3, new: 3 }, 5, { old: 15, new: 150 }, 20), { old: 10, new: 3 });
  const next = cheapestSizes({ old: 3, new: 10 }, 10, { old: 150, new: 15 }, 20);
  t.ok(next.new === 20 && next.old > 3, `the cheap side fills to max first: ${JSON.stringify(next)}`);
  t.ok(minimumExactP(next.old, next.new) <= minimumExactP(10, 10), 'at the resolution asked for');
});

t.test('cheapestSizes never shrinks a side and stays within max', async (t) => {
  t.same(cheapestSizes({ old: 20, new: 20 }, 40, { old: 1, new: 1 }, 20), { old: 20, new: 20 }, 'nothing reachable within max: as it is');
  t.same(cheapestSizes({ old: 3, new: 7 }, 10, { old: 1, new: 1 }, 8), { old: 8, new: 8 }, 'unreachable: the equal plan capped at max');
  for (const [o, n] of [[3, 3], [4, 9], [7, 2]] as const) {
    const s = cheapestSizes({ old: o, new: n }, 5, { old: 3, new: 1 }, 12);
    t.ok(s.old >= o && s.new >= n && s.old <= 12 && s.new <= 12, JSON.stringify(s));
  }
});
