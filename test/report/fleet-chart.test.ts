import t from 'tap';
import { buildModel } from '../../harness/report/model.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { defaultTheme } from '../../harness/report/theme.js';
import { fleetChart } from '../../harness/report/charts/fleet.js';
import { fleetGuestsChart } from '../../harness/report/charts/fleet-guests.js';
import { secs } from '../../harness/report/units.js';
import { repoRoot } from '../helpers.js';
import { join } from 'node:path';

// A real guests sweep (cases/guests-sweep.yaml: 1, 4, 16 and 48 s390x guests of 4 disks, TCG).
const fixture = join(repoRoot, 'test', 'fixtures', 'runs', 'guests-sweep');

t.test('the fleet chart plots the time to bring each fleet up, the slowest guest and host memory', async (t) => {
  const model = buildModel(await openRun(fixture));
  const c = model.cases[0]!;
  const outcome = fleetChart(model, c);
  if (!outcome || !('chart' in outcome)) throw new Error('expected a chart');
  const { chart } = outcome;
  t.equal(chart.id, 'guests-sweep-fleet');
  const journal = c.points.map((p) => p.used[0]!);
  const byGuests = new Map(journal.map((o) => [o.params.guests ?? 1, o]));
  for (const [guests, o] of byGuests) {
    const up = (o.fleet ? o.fleet.allReadyMs! : o.phases.totalMs!) / 1000;
    t.match(chart.description, `${guests} guests up in ${up.toFixed(1)} s, slowest ${(o.phases.totalMs! / 1000).toFixed(1)} s`);
  }
  const cfg = chart.config(defaultTheme);
  t.equal(cfg.data.datasets.length, 3, 'fleet up, slowest guest, host memory');
  t.same((cfg.data.datasets[0]!.data as { x: number }[]).map((p) => p.x), [1, 4, 16, 48]);
});

t.test('a case of one guest count draws no fleet chart', async (t) => {
  const model = buildModel(await openRun(join(repoRoot, 'test', 'fixtures', 'runs', 'seed-drain')));
  t.equal(fleetChart(model, model.cases[0]!), undefined);
});

// A real fleet of one size (cases/host-16x1024.yaml: 16 s390x guests of 1024 disks, 2 starting at once, TCG).
const oneFleet = join(repoRoot, 'test', 'fixtures', 'runs', 'host-16x1024');

t.test("a fleet of one size draws each guest's phases in start order and its CPU while held", async (t) => {
  const model = buildModel(await openRun(oneFleet));
  const c = model.cases[0]!;
  t.equal(fleetChart(model, c), undefined, 'no fleet-against-guests chart for one guest count');
  const outcome = fleetGuestsChart(c);
  if (!outcome || !('chart' in outcome)) throw new Error('expected a chart');
  const { chart } = outcome;
  t.equal(chart.id, 'host-16x1024-fleet-guests');
  const guests = c.points[0]!.used[0]!.guests!;
  t.equal(guests.length, 16);
  for (const g of guests) t.match(chart.description, `guest ${g.index + 1}: ready ${secs(g.phases.totalMs!)} s after its spawn`);
  t.match(chart.description, new RegExp(`guest 16: ready ${secs(guests[15]!.phases.totalMs!)} s after its spawn\\.$`), 'the last guest never held');
  const cfg = chart.config(defaultTheme);
  t.same(cfg.data.labels, Array.from({ length: 16 }, (_, i) => String(i + 1)));
  t.same(cfg.data.datasets.map((d) => d.label), ['QEMU init', 'guest boot', 'disk probe', 'CPU while held']);
  t.equal((cfg.data.datasets[2]!.data as number[])[15], guests[15]!.phases.diskProbeMs! / 1000);
  t.same((cfg.data.datasets[3]!.data as (number | null)[]).map((h) => h === null), [...Array(15).fill(false), true]);
});

t.test('a case without fleets draws no guests-of-the-fleet chart', async (t) => {
  const model = buildModel(await openRun(join(repoRoot, 'test', 'fixtures', 'runs', 'seed-drain')));
  t.equal(fleetGuestsChart(model.cases[0]!), undefined);
});
