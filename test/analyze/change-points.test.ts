import t from 'tap';
import { changePoints } from '../../harness/analyze/index.js';

// Five trials a source, a few percent apart: enough for compareTimes to call a change at its
// default alpha (0.01) when the two sides are wholly apart.
const at = (level: number) => [0.98, 0.99, 1.0, 1.01, 1.02].map((f) => level * f);

t.test('a step that holds to the last source is a step, with the neighbours\' comparison', async (t) => {
  const r = changePoints([at(10), at(10), at(40), at(41), at(40)]);
  t.same(r.steps.map((s) => [s.from, s.at, s.kind, s.verdict]), [[1, 2, 'step', 'SLOWER']]);
  t.ok(Math.abs(r.steps[0]!.comparison.ratio - 4) < 1e-9, 'the ratio of the medians');
  t.equal(r.drift, undefined, 'the step explains the first-to-last change');
  t.equal(r.overall?.comparison.verdict, 'SLOWER');
});

t.test('one source off and back at the next is a blip, not a step', async (t) => {
  const r = changePoints([at(10), at(30), at(10), at(10)]);
  t.same(r.steps.map((s) => [s.from, s.at, s.kind, s.verdict, s.undoneAt]), [[0, 1, 'blip', 'SLOWER', 2]], 'the way back is no step');
  t.equal(r.overall?.comparison.verdict, 'SAME');
});

t.test('a regression fixed later is undone where the fix lands; the fix is the open step', async (t) => {
  const r = changePoints([at(10), at(20), at(20), at(10), at(10)]);
  t.same(r.steps.map((s) => [s.from, s.at, s.kind, s.verdict, s.undoneAt]), [
    [0, 1, 'undone', 'SLOWER', 3],
    [2, 3, 'step', 'FASTER', undefined],
  ]);
});

t.test('two steps the same way: the first is not undone by the second', async (t) => {
  const r = changePoints([at(10), at(20), at(20), at(40)]);
  t.same(r.steps.map((s) => [s.from, s.at, s.kind]), [[0, 1, 'step'], [2, 3, 'step']]);
});

t.test('a gradual drift: no neighbour pair decided, first against last is', async (t) => {
  const r = changePoints([at(10), at(10.3), at(10.6), at(10.9), at(11.2), at(11.5), at(11.8), at(12.2)]);
  t.same(r.steps, []);
  t.equal(r.drift?.from, 0);
  t.equal(r.drift?.to, 7);
  t.equal(r.drift?.comparison.verdict, 'SLOWER');
});

t.test('sources without times are passed over: their neighbours are compared', async (t) => {
  const r = changePoints([at(10), [], at(40), at(40)]);
  t.same(r.steps.map((s) => [s.from, s.at, s.kind]), [[0, 2, 'step']]);
});

t.test('noise within the threshold is no change', async (t) => {
  const r = changePoints([at(10), at(10.2), at(9.9), at(10.1)]);
  t.same(r.steps, []);
  t.equal(r.drift, undefined);
});

t.test('fewer than two measured sources: nothing to say', async (t) => {
  t.same(changePoints([at(10), []]), { steps: [] });
});
