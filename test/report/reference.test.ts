import { parse, stringify } from 'yaml';
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartsFor } from '../../harness/report/charts/index.js';
import { buildDocument } from '../../harness/report/document.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { buildModel } from '../../harness/report/model.js';
import { renderPng } from '../../harness/report/render.js';
import { defaultTheme } from '../../harness/report/theme.js';
import type { RunManifest } from '../../harness/journal/run-dir.js';
import { caseErrorOf, repoRoot } from '../helpers.js';
import { copyRun, inspectPng } from './helpers.js';

// A case's `reference:` (published figures) shown beside the run's own: the seed-drain fixture
// run, its manifest holding today's cases/seed-drain.yaml, which carries the talk's figures.

async function runWithTodaysCase(): Promise<string> {
  const dir = await copyRun();
  const manifest = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunManifest;
  // The run's own case text with today's `reference:` figures added: the points and variants
  // stay the ones the journal ran (today's case sweeps fewer), so every line belongs to the plan.
  const today = parse(await readFile(join(repoRoot, 'cases', 'seed-drain.yaml'), 'utf8')) as { reference: unknown };
  const text = `${manifest.cases.find((c) => c.name === 'seed-drain')!.text.trimEnd()}\n${stringify({ reference: today.reference })}`;
  for (const c of manifest.cases) if (c.name === 'seed-drain') Object.assign(c, { text, sha256: createHash('sha256').update(text).digest('hex') });
  await writeFile(join(dir, 'run.json'), JSON.stringify(manifest));
  return dir;
}

t.test("the talk's figures are drawn on the start-up chart and tabled beside this run's medians", async (t) => {
  const model = buildModel(await openRun(await runWithTodaysCase()));
  const { charts, notes } = chartsFor(model);
  const startup = charts.find((c) => c.id === 'seed-drain-startup')!;
  t.match(startup.description, 'published: unfixed at 1000 disks, 13 min (z13 (2964-701, 64 shared CPUs), KVM, QEMU before f406c03c, 2015)');
  t.match(startup.description, 'published: fixed at 1000 disks, 16 s (z13');
  const published = startup.config(defaultTheme).data.datasets.filter((d) => String(d.label).startsWith('published'));
  t.same(
    published.map((d) => d.data),
    [[{ x: 1000, y: 780 }], [{ x: 1000, y: 16 }]],
    'one marker per figure, in seconds',
  );
  const png = await inspectPng(renderPng(startup, defaultTheme));
  t.ok(png.colours > 30, 'the chart renders');

  const section = buildDocument(model, charts, notes).sections.find((s) => s.title === 'Case seed-drain')!;
  const table = section.subsections!.find((s) => s.title === 'Published figures beside this run')!.blocks[0]!;
  if (table.kind !== 'table') throw new Error('expected a table');
  t.same(
    table.rows.map((r) => [r[0], r[1], r[2], r[5]]),
    [
      ['unfixed', '1000', '13 min', '0.20×'],
      ['fixed', '1000', '16 s', '0.93×'],
    ],
    "this run's median over the published figure (154 s / 780 s; 14.9 s / 16 s)",
  );
});

t.test('a reference must name a variant and a disk count of its case, and say where it comes from', async (t) => {
  const base = 'disks: [250, 1000]\nvariants: [upstream, fixed]\nreference:\n  - ';
  t.match(caseErrorOf(`${base}{variant: unfixed, disks: 1000, value: 13, unit: min, conditions: z13, source: talk}\n`), /reference\.0\.variant.*"unfixed" is not a variant of this case \(upstream, fixed\)/);
  t.match(caseErrorOf(`${base}{variant: fixed, disks: 500, value: 13, unit: min, conditions: z13, source: talk}\n`), /reference\.0\.disks.*boots 250, 1000 disks, not 500/);
  t.match(caseErrorOf(`${base}{variant: fixed, disks: 1000, value: 13, unit: hours, conditions: z13, source: talk}\n`), /reference\.0\.unit/);
  t.match(caseErrorOf(`${base}{variant: fixed, disks: 1000, value: 13, unit: min, source: talk}\n`), /reference\.0\.conditions/);
  t.match(caseErrorOf(`${base}{variant: fixed, disks: 1000, value: 13, unit: min, conditions: z13, source: talk, metric: diskProbeMs}\n`), /only totalMs/);
});
