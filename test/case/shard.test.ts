import t from 'tap';
import { parseCase } from '../../harness/case/load.js';
import { assertShardable, planTrials, selectShard, type Plan } from '../../harness/case/matrix.js';
import type { LoadedCase } from '../../harness/case/schema.js';

const twoVariants = parseCase('disks: 8\nvariants: [system, upstream]\nrepetitions: 2\n', 'cases/smoke2.yaml');
const sweep = parseCase('disks: [8, 16, 32]\nvariants: [system, a, b]\nrepetitions: 5\nwarmup: 1\nseed: 3\n', 'cases/sweep.yaml');
const single = parseCase('disks: 8\nrepetitions: 7\n', 'cases/one.yaml');

function shardsOf(cases: LoadedCase[], count: number): { plan: Plan; shards: Plan[] } {
  const plan = planTrials(cases);
  return { plan, shards: Array.from({ length: count }, (_, i) => selectShard(plan, cases, { index: i + 1, count })) };
}

const layouts: [string, LoadedCase[]][] = [
  ['2 variants × 2 reps', [twoVariants]],
  ['3 variants × 3 points × (1 warm-up + 5 reps)', [sweep]],
  ['1 unit × 7 reps', [single]],
  ['three cases together', [twoVariants, sweep, single]],
];

t.test('every trial is in exactly one shard, in plan order, with its plan position', async (t) => {
  for (const [name, cases] of layouts) {
    for (const count of [1, 2, 3, 4, 5]) {
      const { plan, shards } = shardsOf(cases, count);
      const ids = shards.flatMap((s) => s.trials.map((x) => x.trialId));
      t.equal(ids.length, plan.trials.length, `${name}, ${count} shards: as many trials as the plan`);
      t.same(new Set(ids), new Set(plan.trials.map((x) => x.trialId)), `${name}, ${count} shards: the plan's trials`);
      for (const s of shards) {
        const orders = s.trials.map((x) => x.order);
        t.same(orders, [...orders].sort((a, b) => a - b), `${name}, ${count} shards: a shard keeps the plan's order`);
        t.equal(s.seed, plan.seed);
      }
    }
  }
});

t.test('shards are the same size, within one trial per case', async (t) => {
  for (const [name, cases] of layouts) {
    for (const count of [2, 3, 4, 5]) {
      const sizes = shardsOf(cases, count).shards.map((s) => s.trials.length);
      t.ok(Math.max(...sizes) - Math.min(...sizes) <= cases.length, `${name}, ${count} shards: ${sizes.join(', ')}`);
    }
  }
});

t.test('each shard measures every variant: host differences never pose as a patch effect', async (t) => {
  const { shards } = shardsOf([twoVariants], 2);
  for (const [i, s] of shards.entries()) {
    t.same(s.trials.map((x) => x.variant).sort(), ['system', 'upstream'], `shard ${i + 1}: one trial of each variant`);
  }
  // 5 repetitions over 5 shards: every unit's repetitions visit every shard once.
  const five = shardsOf([sweep], 5).shards;
  for (const unit of ['system/disks=8', 'a/disks=16', 'b/disks=32']) {
    const visited = five.map((s) => s.trials.filter((x) => !x.warmup && x.trialId.startsWith(`sweep/${unit}/`)).length);
    t.same(visited, [1, 1, 1, 1, 1], `${unit}: one repetition per shard`);
  }
});

t.test('the partition is a function of the plan alone', async (t) => {
  const ids = () => shardsOf([sweep], 3).shards.map((s) => s.trials.map((x) => x.trialId));
  t.same(ids(), ids());
  const reseeded = planTrials([sweep], 99);
  const a = selectShard(reseeded, [sweep], { index: 2, count: 3 }).trials.map((x) => x.trialId);
  t.same(a, selectShard(planTrials([sweep], 99), [sweep], { index: 2, count: 3 }).trials.map((x) => x.trialId));
});

t.test('adaptive repetitions cannot be sharded: one line naming the file and field', async (t) => {
  const adaptive = parseCase('disks: 8\nvariants: [system, upstream]\nrepetitions: {min: 3, max: 20}\n', 'cases/adaptive.yaml');
  t.throws(() => assertShardable([twoVariants, adaptive]), {
    message: /^cases\/adaptive\.yaml: repetitions: \{min: 3, max: 20\} is adaptive, which --shard cannot split .*repetitions: 20$/,
  });
  t.doesNotThrow(() => assertShardable([twoVariants, sweep]));
});
