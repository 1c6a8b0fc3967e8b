import t from 'tap';
import { parseCase } from '../../harness/case/load.js';
import { planTrials } from '../../harness/case/matrix.js';

const twoVariantSweep = parseCase('disks: [8, 16]\nvariants: [system, other]\nrepetitions: 4\nwarmup: 1\nseed: 7\n', 'cases/m.yaml');

t.test('every (variant, point, repetition) appears exactly once, warm-ups first', async (t) => {
  const { trials } = planTrials([twoVariantSweep]);
  t.equal(trials.length, 2 * 2 * (4 + 1));
  t.equal(new Set(trials.map((x) => x.trialId)).size, trials.length, 'ids are unique');
  t.ok(trials.slice(0, 4).every((x) => x.warmup), 'the first block is the warm-up');
  t.ok(trials.slice(4).every((x) => !x.warmup));
  t.same(trials.map((x) => x.order), trials.map((_, i) => i));
});

t.test('the order is interleaved: each repetition block holds every variant and point once', async (t) => {
  const { trials } = planTrials([twoVariantSweep]);
  for (let b = 0; b < 5; b++) {
    const block = trials.slice(b * 4, b * 4 + 4);
    t.equal(new Set(block.map((x) => `${x.variant} ${x.point}`)).size, 4, `block ${b}`);
  }
});

t.test('the same seed gives the same order; another seed another order', async (t) => {
  const ids = (seed?: number) => planTrials([twoVariantSweep], seed).trials.map((x) => x.trialId);
  t.same(ids(), ids());
  t.same(ids(7), ids());
  const others = [1, 2, 3, 4, 5].map((s) => ids(s).join());
  t.ok(others.some((o) => o !== ids().join()), 'some other seed reorders');
});

t.test('sizing defaults follow the disk count', async (t) => {
  const { trials } = planTrials([parseCase('disks: [8, 4096]\n', 'cases/s.yaml')]);
  const big = trials.find((x) => x.params.disks === 4096)!;
  const small = trials.find((x) => x.params.disks === 8)!;
  t.equal(small.params.memoryMiB, 512);
  t.ok(big.params.memoryMiB >= 2048, '4096 disks need 2 GiB of guest RAM (case/defaults.ts)');
  t.ok(big.timeouts.diskProbeS > small.timeouts.diskProbeS);
  t.equal(big.point, 'disks=4096');
});
