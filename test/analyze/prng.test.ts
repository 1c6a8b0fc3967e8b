import t from 'tap';
import { createRng, xoshiro128ss, DEFAULT_SEED } from '../../harness/analyze/index.js';

t.test('xoshiro128** matches the reference C implementation', async (t) => {
  // Reference: xoshiro128starstar.c by Blackman & Vigna (prng.di.unimi.it),
  // compiled with gcc and seeded with s = {1, 2, 3, 4}; first six outputs.
  const rng = xoshiro128ss([1, 2, 3, 4]);
  const got = Array.from({ length: 6 }, () => rng.nextUint32());
  t.same(got, [11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
});

t.test('same seed gives the same stream, different seeds differ', async (t) => {
  const a = createRng(123);
  const b = createRng(123);
  const c = createRng(124);
  const sa = Array.from({ length: 100 }, () => a.next());
  const sb = Array.from({ length: 100 }, () => b.next());
  const sc = Array.from({ length: 100 }, () => c.next());
  t.same(sa, sb);
  t.not(sa[0], sc[0]);
  t.same(
    Array.from({ length: 5 }, () => createRng().next()),
    Array.from({ length: 5 }, () => createRng(DEFAULT_SEED).next()),
    'default seed is fixed',
  );
});

t.test('outputs are uniform in [0, 1) and int(n) in [0, n)', async (t) => {
  const rng = createRng(7);
  const buckets = new Array<number>(10).fill(0);
  const N = 100_000;
  let sum = 0;
  let outOfRange = 0;
  for (let i = 0; i < N; i++) {
    const u = rng.next();
    if (!(u >= 0 && u < 1)) outOfRange++;
    sum += u;
    buckets[Math.floor(u * 10)]!++;
  }
  t.equal(outOfRange, 0, 'all draws in [0, 1)');
  t.ok(Math.abs(sum / N - 0.5) < 0.005, 'mean close to 1/2');
  // Chi-square with 9 df: the 99.9% critical value is 27.88.
  const expected = N / 10;
  const chi2 = buckets.reduce((acc, b) => acc + (b - expected) ** 2 / expected, 0);
  t.ok(chi2 < 27.88, `chi-square ${chi2.toFixed(2)} below 27.88`);
  const ints = Array.from({ length: 1000 }, () => rng.int(7));
  t.ok(ints.every((k) => Number.isInteger(k) && k >= 0 && k < 7), 'int(7) in [0, 7)');
  t.same([...new Set(ints)].sort(), [0, 1, 2, 3, 4, 5, 6], 'int(7) reaches every value');
});

t.test('rejects bad seeds and zero state', async (t) => {
  t.throws(() => createRng(Number.NaN));
  t.throws(() => xoshiro128ss([0, 0, 0, 0]));
});
