import t from 'tap';
import { caseErrorOf } from '../helpers.js';
import { parseCase } from '../../harness/case/load.js';
import { extendPlan, planTrials, trialId } from '../../harness/case/matrix.js';
import { repetitionRange } from '../../harness/case/schema.js';

const errorOf = caseErrorOf;

t.test('repetitions: a number, or {min, max} for adaptive repetitions', async (t) => {
  t.same(repetitionRange(parseCase('disks: 8\nrepetitions: 5\n', 'c.yaml').spec), { min: 5, max: 5 });
  t.same(repetitionRange(parseCase('disks: 8\nrepetitions: {min: 5, max: 20}\n', 'c.yaml').spec), { min: 5, max: 20 });
  t.same(repetitionRange(parseCase('disks: 8\n', 'c.yaml').spec), { min: 1, max: 1 });
});

t.test('bad repetitions name the field and say what is expected', async (t) => {
  t.equal(errorOf('disks: 8\nrepetitions: {min: 5, max: 3}\n'), 'cases/x.yaml:2:28: repetitions.max: must be at least min (5)');
  t.equal(errorOf('disks: 8\nrepetitions: {min: 0, max: 3}\n'), 'cases/x.yaml:2:20: repetitions.min: must be at least 1');
  t.equal(errorOf('disks: 8\nrepetitions: {min: 5}\n'), 'cases/x.yaml:2:14: repetitions.max: is required');
  t.equal(errorOf('disks: 8\nrepetitions: 0\n'), 'cases/x.yaml:2:14: repetitions: must be at least 1');
  t.equal(
    errorOf('disks: 8\nrepetitions: many\n'),
    'cases/x.yaml:2:14: repetitions: expected a whole number of repetitions, or {min, max} for adaptive repetitions',
  );
  t.match(errorOf('disks: 8\nrepetitions: {min: 1, max: 2, step: 1}\n'), /repetitions\.step: unknown key "step"/);
});

t.test('an adaptive case plans min repetitions; extending continues the ids and the interleaving', async (t) => {
  const c = parseCase('disks: [8, 16]\nvariants: [system, other]\nrepetitions: {min: 2, max: 8}\nwarmup: 1\nseed: 9\n', 'cases/ad.yaml');
  const plan = planTrials([c]);
  t.equal(plan.trials.length, 4 * (1 + 2));
  const unit = { case: c, variant: 'other', point: 'disks=16', params: plan.trials[0]!.params };
  t.equal(trialId(unit, 5, false), 'ad/other/disks=16/r5');
  const base = { ...unit, variant: 'system' };
  const more = extendPlan(plan, [
    { unit, reps: 4 },
    { unit: base, reps: 4 },
  ]);
  t.same(more.trials.slice(0, plan.trials.length), plan.trials, 'the plan so far is unchanged');
  const added = more.trials.slice(plan.trials.length);
  t.same(added.map((x) => x.trialId).sort(), ['ad/other/disks=16/r2', 'ad/other/disks=16/r3', 'ad/system/disks=16/r2', 'ad/system/disks=16/r3']);
  t.same(added.map((x) => x.rep), [2, 2, 3, 3], 'one block per repetition');
  t.same(added.map((x) => x.order), [12, 13, 14, 15]);
  t.same(extendPlan(plan, [{ unit, reps: 4 }, { unit: base, reps: 4 }]), more, 'deterministic');
  t.same(extendPlan(plan, [{ unit, reps: 2 }]).trials.length, plan.trials.length, 'nothing to add when the target is reached');
});
