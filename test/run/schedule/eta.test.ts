import t from 'tap';
import { Eta } from '../../../harness/run/schedule/eta.js';
import { trialsOf } from '../../helpers.js';

// The seed-drain shape: unfixed grows ~cubically, fixed linearly; 250/500/1000 disks, 3 reps.
const plan = trialsOf('disks: [250, 500, 1000]\nvariants: [unfixed, fixed]\nrepetitions: 3\n');
const secondsOf = (variant: string, disks: number) => (variant === 'unfixed' ? 5 + 150 * (disks / 1000) ** 3 : 4 + 10 * (disks / 1000));

t.test('the ETA learns per variant and point: after the first block it is the true remaining time', async (t) => {
  const eta = new Eta();
  t.equal(eta.remainingMs(plan), undefined, 'nothing to learn from yet');
  const firstBlock = plan.filter((x) => x.rep === 0);
  for (const trial of firstBlock) eta.record(trial, secondsOf(trial.variant, trial.params.disks) * 1000);
  const rest = plan.filter((x) => x.rep > 0);
  const truth = rest.reduce((s, x) => s + secondsOf(x.variant, x.params.disks) * 1000, 0);
  t.equal(Math.round(eta.remainingMs(rest)!), Math.round(truth));
});

t.test('before a unit has run, its variant predicts it per disk, not the run-wide mean trial', async (t) => {
  const eta = new Eta();
  const small = plan.find((x) => x.variant === 'unfixed' && x.params.disks === 250 && x.rep === 0)!;
  eta.record(small, 10_000);
  const big = plan.filter((x) => x.variant === 'unfixed' && x.params.disks === 1000);
  t.equal(eta.remainingMs(big), 3 * 40_000, '10 s at 250 disks → at least 40 s at 1000');
  const otherVariant = plan.filter((x) => x.variant === 'fixed' && x.params.disks === 500);
  t.equal(eta.remainingMs(otherVariant), 3 * 10_000, 'a variant not run yet: the mean trial so far');
});

t.test("one case's cost per disk does not predict another's; a fleet's disks are all its guests'", async (t) => {
  const eta = new Eta();
  const sweep = trialsOf('guests: [48, 96]\ndisks: 1\n', 'migration');
  eta.record(sweep.find((x) => x.params.guests === 96)!, 60_000);
  const [big] = trialsOf('disks: 1024\n', 'disks-4096');
  t.equal(eta.remainingMs([big!]), 60_000, 'another case: the mean trial, not 60 s per disk × 1024');
  t.equal(eta.remainingMs([sweep.find((x) => x.params.guests === 48)!]), 30_000, '48 guests of the same case: half of 96');
});
