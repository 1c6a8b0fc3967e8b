import t from 'tap';
import { parseCase } from '../../../harness/case/load.js';
import { planTrials, type Trial } from '../../../harness/case/matrix.js';
import { adaptiveLooks, defaultAdaptiveRule, extensionsFrom } from '../../../harness/run/schedule/adaptive.js';
import { runSchedule, type ScheduleState } from '../../../harness/run/schedule/schedule.js';
import { observation } from '../../compare/synthetic.js';
import type { Observation } from '../../../harness/record/observation.js';

// The adaptive planner with synthetic timings: no QEMU, so every branch is exercised exactly.

const adaptiveCase = (reps = '{min: 5, max: 20}', variants = '[system, other]') =>
  parseCase(`disks: [8, 16]\nvariants: ${variants}\nrepetitions: ${reps}\nseed: 3\n`, 'cases/a.yaml');

type TimeOf = (t: Trial) => number | null;

/** What a trial "measures": a time per variant and point, varied deterministically by rep. */
function fakeTrial(timeOf: TimeOf) {
  return (trial: Trial): Observation => {
    const ms = timeOf(trial);
    const obs = observation({ case: trial.case, variant: trial.variant, point: trial.point, disks: trial.params.disks, rep: trial.rep, totalMs: ms, outcome: ms === null ? 'timeout' : 'ok' });
    return { ...obs, trialId: trial.trialId, order: trial.order };
  };
}

async function simulate(c = adaptiveCase(), timeOf: TimeOf, state?: ScheduleState, stopAfter = Infinity) {
  const s = state ?? { plan: planTrials([c]), done: new Set<string>(), observations: [] };
  const ran: string[] = [];
  const extensions: number[] = [];
  await runSchedule(
    [c],
    s,
    defaultAdaptiveRule,
    async (trial) => {
      if (ran.length >= stopAfter) throw new Error('interrupted');
      ran.push(trial.trialId);
      return fakeTrial(timeOf)(trial);
    },
    (_looks, added) => extensions.push(added),
  ).catch((e: Error) => {
    if (e.message !== 'interrupted') throw e;
  });
  return { state: s, ran, extensions };
}

// Clearly different: other is 3x slower; a noise pattern per rep keeps values distinct.
const noise = (rep: number) => 1 + ((rep * 7) % 11) / 1000;
const clear: TimeOf = (t) => (t.variant === 'other' ? 9000 : 3000) * noise(t.rep);
// Undecidable: ±5% noise and other about 4% slower, so the ratio's CI keeps straddling the
// 5% threshold (UNKNOWN at 5, 10 and 20 trials per side).
const murky: TimeOf = (t) =>
  t.variant === 'other' ? 3000 * 1.045 * (1 + (((t.rep * 3) % 11) - 5) / 100) : 3000 * (1 + (((t.rep * 7) % 11) - 5) / 100);

const reps = (s: ScheduleState, variant: string, point: string) =>
  s.plan.trials.filter((x) => x.variant === variant && x.point === point && !x.warmup).map((x) => x.rep);

t.test('a comparison decided at min adds nothing', async (t) => {
  const { state, extensions } = await simulate(adaptiveCase(), clear);
  t.equal(state.plan.trials.length, 2 * 2 * 5);
  t.same(extensions, []);
});

t.test('an undecided comparison grows 5 → 10 → 20 (max), baseline with it, ids r5.. stable', async (t) => {
  const { state, extensions } = await simulate(adaptiveCase(), murky);
  t.same(extensions, [20, 40], 'two looks added 5 and 10 repetitions to 2 variants × 2 points');
  for (const v of ['system', 'other']) {
    for (const p of ['disks=8', 'disks=16']) t.same(reps(state, v, p), [...Array(20).keys()], `${v} ${p}: r0..r19 once each`);
  }
  t.equal(new Set(state.plan.trials.map((x) => x.trialId)).size, state.plan.trials.length, 'ids unique');
  t.ok(state.plan.trials.some((x) => x.trialId === 'a/other/disks=16/r19'));
  t.same(state.plan.trials.map((x) => x.order), state.plan.trials.map((_, i) => i), 'order continues');
  t.equal(state.observations.length, state.plan.trials.length, 'every planned trial ran once');
});

t.test('added trials are interleaved: each added block holds every undecided unit once', async (t) => {
  const { state } = await simulate(adaptiveCase(), murky);
  const added = state.plan.trials.slice(20);
  for (let b = 0; b < added.length / 4; b++) {
    const block = added.slice(b * 4, b * 4 + 4);
    t.equal(new Set(block.map((x) => `${x.variant} ${x.point}`)).size, 4, `block ${b}`);
    t.equal(new Set(block.map((x) => x.rep)).size, 1, `block ${b} is one repetition`);
  }
  const orders = new Set<string>();
  for (let b = 0; b < added.length / 4; b++) orders.add(added.slice(b * 4, b * 4 + 4).map((x) => `${x.variant} ${x.point}`).join());
  t.ok(orders.size > 1, 'blocks are shuffled, not all in one order');
});

t.test('only undecided points grow', async (t) => {
  const mixed: TimeOf = (x) => (x.point === 'disks=8' ? clear(x) : murky(x));
  const { state } = await simulate(adaptiveCase(), mixed);
  t.equal(reps(state, 'other', 'disks=8').length, 5);
  t.equal(reps(state, 'system', 'disks=8').length, 5);
  t.equal(reps(state, 'other', 'disks=16').length, 20);
  t.equal(reps(state, 'system', 'disks=16').length, 20);
});

t.test('a pair decided at 5 stays decided when the baseline grows for another variant', async (t) => {
  const c = adaptiveCase('{min: 5, max: 10}', '[system, other, third]');
  const timeOf: TimeOf = (x) => (x.variant === 'third' ? clear({ ...x, variant: 'other' }) : murky(x));
  const { state } = await simulate(c, timeOf);
  t.equal(reps(state, 'third', 'disks=8').length, 5);
  t.equal(reps(state, 'other', 'disks=8').length, 10);
  t.equal(reps(state, 'system', 'disks=8').length, 10);
});

t.test('the plain number form never adapts; neither does a single variant', async (t) => {
  t.equal((await simulate(adaptiveCase('5'), murky)).state.plan.trials.length, 20);
  t.equal((await simulate(adaptiveCase('{min: 5, max: 20}', '[system]'), murky)).state.plan.trials.length, 10);
});

t.test('min below the first look grows to it: 3 → 5 → 10', async (t) => {
  const { extensions } = await simulate(adaptiveCase('{min: 3, max: 10}'), murky);
  t.same(extensions, [8, 20]);
});

t.test('a variant with no ok trial is not grown (more failures decide nothing)', async (t) => {
  const { state } = await simulate(adaptiveCase(), (x) => (x.variant === 'other' ? null : 3000));
  t.equal(state.plan.trials.length, 20);
  const looks = adaptiveLooks([adaptiveCase()], state.plan, state.observations, defaultAdaptiveRule);
  t.same([...new Set(looks.map((l) => l.verdict))], ['NO-DATA']);
  t.same(extensionsFrom(looks), []);
});

t.test('an interrupted run resumed from its journal ends with the same plan, every trial once', async (t) => {
  const whole = await simulate(adaptiveCase(), murky);
  for (const stopAfter of [3, 20, 27, 45]) {
    const first = await simulate(adaptiveCase(), murky, undefined, stopAfter);
    t.equal(first.ran.length, stopAfter);
    // A resume starts from the case and seed again, with the journal's trials done.
    const resumed: ScheduleState = {
      plan: planTrials([adaptiveCase()]),
      done: new Set(first.state.observations.map((o) => o.trialId)),
      observations: [...first.state.observations],
    };
    const second = await simulate(adaptiveCase(), murky, resumed);
    t.same(
      second.state.plan.trials.map((x) => x.trialId),
      whole.state.plan.trials.map((x) => x.trialId),
      `stopped after ${stopAfter}: same plan, same order`,
    );
    const ids = [...first.ran, ...second.ran];
    t.equal(ids.length, whole.state.plan.trials.length, `stopped after ${stopAfter}: every trial ran`);
    t.equal(new Set(ids).size, ids.length, `stopped after ${stopAfter}: none twice`);
  }
});

t.test('looks use only trials of the plan so far, so a journal holding later trials replays them alike', async (t) => {
  const whole = await simulate(adaptiveCase(), murky);
  const initial = planTrials([adaptiveCase()]);
  const all = adaptiveLooks([adaptiveCase()], initial, whole.state.observations, defaultAdaptiveRule);
  const early = adaptiveLooks([adaptiveCase()], initial, whole.state.observations.filter((o) => o.rep < 5), defaultAdaptiveRule);
  t.same(all.map((l) => [l.verdict, l.reps, l.next]), early.map((l) => [l.verdict, l.reps, l.next]));
  t.same(all.map((l) => l.next), [{ old: 10, new: 10 }, { old: 10, new: 10 }]);
});

t.test('a tenfold change with tidy trials is decided at 3 + 3 by Welch on log times: no trial added', async (t) => {
  // The demo's shape: unfixed (the baseline) boots in 150 s, the fix in 15 s.
  const slowBaseline: TimeOf = (x) => (x.variant === 'system' ? 150_000 : 15_000) * noise(x.rep);
  const { state, extensions } = await simulate(adaptiveCase('{min: 3, max: 20}'), slowBaseline);
  t.same(extensions, [], 'decided at the first look');
  t.equal(state.plan.trials.length, 2 * 2 * 3);
  const looks = adaptiveLooks([adaptiveCase('{min: 3, max: 20}')], state.plan, state.observations, defaultAdaptiveRule);
  t.same([...new Set(looks.map((l) => l.verdict))], ['FASTER']);
});

// A wild trial in every three (a boot slowed 30% by a neighbour): no side's log times pass
// Shapiro-Wilk (p 0.006 at 3 trials, 0.0001 at 10), so the rank test decides, and it cannot at 3 + 3.
const lopsided = (rep: number) => (rep % 3 === 2 ? 1.3 : 1) + rep / 1000;

t.test('a baseline ten times as slow gets no more trials: the cheap side grows to the same resolution', async (t) => {
  const slowBaseline: TimeOf = (x) => (x.variant === 'system' ? 150_000 : 15_000) * lopsided(x.rep);
  const { state, extensions } = await simulate(adaptiveCase('{min: 3, max: 20}'), slowBaseline);
  t.same(extensions, [14], 'one look: 7 more trials of other at each of 2 points');
  for (const p of ['disks=8', 'disks=16']) {
    t.equal(reps(state, 'system', p).length, 3, `${p}: the slow baseline stays at 3`);
    t.equal(reps(state, 'other', p).length, 10, `${p}: 3 + 10 resolve p < 0.01 as 5 + 5 do`);
  }
  const looks = adaptiveLooks([adaptiveCase('{min: 3, max: 20}')], state.plan, state.observations, defaultAdaptiveRule);
  t.same([...new Set(looks.map((l) => l.verdict))], ['FASTER'], 'and they decide');
  // With the costs the other way round, the baseline is the side that grows.
  const slowOther: TimeOf = (x) => (x.variant === 'other' ? 150_000 : 15_000) * lopsided(x.rep);
  const other = await simulate(adaptiveCase('{min: 3, max: 20}'), slowOther);
  t.equal(reps(other.state, 'system', 'disks=8').length, 10);
  t.equal(reps(other.state, 'other', 'disks=8').length, 3);
});
