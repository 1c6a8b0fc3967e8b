import t from 'tap';
import { buildModel } from '../../harness/report/model.js';
import { loadReportRun } from '../../harness/report/load.js';
import { defaultTheme } from '../../harness/report/theme.js';
import { fleetChart } from '../../harness/report/charts/fleet.js';
import { repoRoot } from '../helpers.js';
import { join } from 'node:path';

// A real guests sweep (cases/guests-sweep.yaml: 1, 4, 16 and 48 s390x guests of 4 disks, TCG).
const fixture = join(repoRoot, 'test', 'fixtures', 'runs', 'guests-sweep');

t.test('the fleet chart plots the time to bring each fleet up, the slowest guest and host memory', async (t) => {
  const model = buildModel(await loadReportRun(fixture, () => {}));
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
  const model = buildModel(await loadReportRun(join(repoRoot, 'test', 'fixtures', 'runs', 'seed-drain'), () => {}));
  t.equal(fleetChart(model, model.cases[0]!), undefined);
});
