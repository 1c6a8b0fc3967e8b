import t from 'tap';
import { join } from 'node:path';
import { buildModel } from '../../harness/report/model.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { defaultTheme } from '../../harness/report/theme.js';
import { migrationChart } from '../../harness/report/charts/migration.js';
import { migrationSection } from '../../harness/report/migration-section.js';
import { repoRoot } from '../helpers.js';

// A real run of cases/migration.yaml here: 1, 16, 64 and 96 x86 probes, libvirt's 64 ports.
const fixture = join(repoRoot, 'test', 'fixtures', 'runs', 'migration');

t.test('the migration chart plots all-ended, one guest\'s total time and downtime against M', async (t) => {
  const model = buildModel(await openRun(fixture));
  const c = model.cases[0]!;
  const outcome = migrationChart(model, c);
  if (!outcome || !('chart' in outcome)) throw new Error('expected a chart');
  const { chart } = outcome;
  t.equal(chart.id, 'migration-migration');
  const cfg = chart.config(defaultTheme);
  t.same(cfg.data.datasets.map((d) => d.label), ['system: all ended', 'system: one guest', 'system: downtime']);
  t.same((cfg.data.datasets[0]!.data as { x: number }[]).map((p) => p.x), [1, 16, 64, 96]);
  const at96 = c.points.find((p) => p.params.guests === 96)!.trials[0]!.migration!;
  t.match(chart.description, `96 guests, 64 migrated, all ended in ${(at96.allEndedMs! / 1000).toFixed(1)} s`);
  t.match(chart.description, /downtime/);
  t.match(chart.description, 'system at 96 guests: 64 migrated', 'the guests left without a port are said on the chart');
});

t.test('the migration table counts guests without a port and quotes the allocator', async (t) => {
  const model = buildModel(await openRun(fixture));
  const section = migrationSection(model.cases[0]!)!;
  const [table, failures] = section.blocks;
  if (table?.kind !== 'table' || failures?.kind !== 'list') throw new Error('expected a table and a list');
  const byGuests = new Map(table.rows.map((r) => [r[2], r]));
  t.same(byGuests.get('96')!.slice(2, 6), ['96', '64', '32', '64'], '96 guests: 64 migrated, 32 without a port, 64 at once');
  t.same(byGuests.get('64')!.slice(2, 6), ['64', '64', '0', '64']);
  t.same(failures.items, ["system at guests=96: 32 guests no-port: Unable to find an unused port in range 'migration' (49152-49215)"]);
});

t.test('a run from before migrations (no migration record) loads and draws neither', async (t) => {
  const model = buildModel(await openRun(join(repoRoot, 'test', 'fixtures', 'runs', 'guests-sweep')));
  t.equal(migrationChart(model, model.cases[0]!), undefined);
  t.equal(migrationSection(model.cases[0]!), undefined);
});
