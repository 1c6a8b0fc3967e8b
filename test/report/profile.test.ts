import t from 'tap';
import { join } from 'node:path';
import { chartsFor } from '../../harness/report/charts/index.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { buildModel } from '../../harness/report/model.js';
import { profileSection } from '../../harness/report/profile-section.js';
import { renderPng, renderSvg } from '../../harness/report/render.js';
import { defaultTheme } from '../../harness/report/theme.js';
import { repoRoot } from '../helpers.js';
import { inspectPng } from './helpers.js';

// A real profiled run (emuflock run --profile): the upstream build at 200 and 1500 disks with
// legacy -drive, where QEMU 7.2's start-up is dominated by drive_get (drive_new tries units
// 0, 1, 2, ... and each try walks every BlockBackend: O(N^3)).
const fixture = join(repoRoot, 'test', 'fixtures', 'runs', 'profile-legacy');

t.test('the phase-growth chart names the hottest QEMU function of each growing phase', async (t) => {
  const model = buildModel(await openRun(fixture));
  const chart = chartsFor(model).charts.find((c) => c.id === 'profile-legacy-profile');
  t.ok(chart, 'drawn');
  t.match(chart!.description, /upstream · QEMU init ← drive_get \(\d+%\)/);
  t.match(chart!.description, /disk probe ← memory_region_clear_dirty_bitmap/);
  const png = await inspectPng(renderPng(chart!, defaultTheme));
  t.ok(png.colours > 30 && png.inked > 0.02, 'not blank');
  t.match(renderSvg(chart!), /drive_get/);
});

t.test('the report table gives each phase its hottest functions and the heaviest chain', async (t) => {
  const model = buildModel(await openRun(fixture));
  const section = profileSection(model.cases[0]!)!;
  const table = section.blocks[0]!;
  if (table.kind !== 'table') return t.fail('a table');
  const init1500 = table.rows.find((r) => r[0] === 'disks=1500' && r[2] === 'qemuInit')!;
  t.match(init1500[5], /^drive_get \d+%/, 'self: drive_get first');
  t.match(init1500[6], /drive_new/, 'inclusive: drive_new owns the stack');
  t.notMatch(init1500[6], /\bmain\b|\[unknown\]/, 'entry points and unnamed frames are left out of the inclusive list');
  t.match(init1500[7], /^drive_get ← /, 'the chain reads callee first');
});

t.test('a run without profiles gets neither chart nor section', async (t) => {
  const model = buildModel(await openRun(join(repoRoot, 'test', 'fixtures', 'runs', 'seed-drain')));
  t.notOk(chartsFor(model).charts.some((c) => c.id.endsWith('-profile')));
  t.equal(profileSection(model.cases[0]!), undefined);
});
