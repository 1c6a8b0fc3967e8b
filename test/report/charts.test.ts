import t from 'tap';
import { chartsFor } from '../../harness/report/charts/index.js';
import { buildDocument } from '../../harness/report/document.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { buildModel } from '../../harness/report/model.js';
import { renderPng, renderSvg } from '../../harness/report/render.js';
import { defaultTheme, talkTheme } from '../../harness/report/theme.js';
import { assertWellFormedXml, fixtureObservations, inspectPng, runWith, seedDrainFixture, seedDrainVariants, withSyntheticCounts } from './helpers.js';

const model = async (dir = seedDrainFixture) => buildModel(await openRun(dir));

t.test('the seed-drain run gives start-up, phases and spread charts; the irq chart is skipped with a note (no counts under TCG)', async (t) => {
  const { charts, notes } = chartsFor(await model());
  t.same(
    charts.map((c) => c.id),
    ['seed-drain-startup', 'seed-drain-phases', 'seed-drain-spread'],
  );
  t.equal(notes.length, 1);
  t.match(notes[0], { caseName: 'seed-drain', text: /^IRQ routing chart not drawn: no trial measured/ });
  t.same(chartsFor(await model(), { logLog: true }).charts[0]!.id, 'seed-drain-startup-loglog');
});

t.test('every chart of the real run renders as a non-blank PNG in both sizes', async (t) => {
  const m = await model();
  const charts = [...chartsFor(m).charts, ...chartsFor(m, { logLog: true }).charts.slice(0, 1)];
  for (const chart of charts) {
    for (const theme of [defaultTheme, talkTheme]) {
      const png = await inspectPng(renderPng(chart, theme));
      t.same([png.width, png.height], [theme.width, theme.height], `${chart.id} ${theme.name}: size`);
      // Text, axes, several series colours and antialiasing: a real chart has dozens of colours.
      t.ok(png.colours > 30, `${chart.id} ${theme.name}: ${png.colours} distinct colours`);
      t.ok(png.inked > 0.02 && png.inked < 0.6, `${chart.id} ${theme.name}: ${(png.inked * 100).toFixed(1)}% of pixels drawn`);
    }
  }
});

t.test('every SVG is well-formed XML, names every variant, and has ids of its own', async (t) => {
  const m = await model();
  for (const chart of chartsFor(m).charts) {
    const svg = renderSvg(chart);
    t.doesNotThrow(() => assertWellFormedXml(svg), `${chart.id}: well-formed`);
    t.match(svg, /^<\?xml[^>]*\?>\s*<svg\b[^>]*\bwidth="1200" height="800"/, `${chart.id}: pixel size`);
    t.match(svg, new RegExp(`<title id="${chart.id}-title">`), `${chart.id}: <title>`);
    for (const v of seedDrainVariants) t.match(svg, new RegExp(`<desc[^>]*>[^<]*\\b${v}\\b`), `${chart.id}: names ${v}`);
    const ids = [...svg.matchAll(/\bid="([^"]+)"/g)].map((x) => x[1]!);
    t.ok(ids.length > 0 && ids.every((id) => id.startsWith(`${chart.id}-`)), `${chart.id}: every id carries the chart's prefix`);
    // The background is drawn, not embedded: an <image> would mean the chart became a bitmap.
    t.notMatch(svg, /<image\b/, `${chart.id}: vector, no embedded bitmap`);
  }
});

t.test('a run with irq counts gets the irq routing chart: counts against devices, per variant', async (t) => {
  const m = await model(await runWith(await withSyntheticCounts()));
  const { charts, notes } = chartsFor(m);
  const irq = charts.find((c) => c.id === 'seed-drain-irq');
  t.ok(irq, 'irq chart drawn');
  t.same(notes, []);
  for (const v of seedDrainVariants) {
    t.match(irq!.description, `${v}: route commits`);
    t.match(irq!.description, `${v}: irqfd fallbacks`);
  }
  t.match(irq!.description, 'unfixed: route commits: 250 virtqueues 501, 500 virtqueues 1001, 1000 virtqueues 2001');
  t.match(irq!.description, 'upstream: irqfd fallbacks (right axis): 250 virtqueues 0, 500 virtqueues 0, 1000 virtqueues 2');
  for (const theme of [defaultTheme, talkTheme]) {
    const png = await inspectPng(renderPng(irq!, theme));
    t.same([png.width, png.height], [theme.width, theme.height]);
    t.ok(png.colours > 30, `${theme.name}: ${png.colours} colours`);
  }
  t.doesNotThrow(() => assertWellFormedXml(renderSvg(irq!)));
});

t.test('a count that varies between trials is drawn as its median and named in the subtitle', async (t) => {
  const obs = (await withSyntheticCounts()).map((o) =>
    o.variant.name === 'fixed' && o.params.disks === 500 && o.rep === 1 ? { ...o, counts: { ...o.counts, routeCommits: 600 } } : o,
  );
  const irq = chartsFor(await model(await runWith(obs))).charts.find((c) => c.id === 'seed-drain-irq')!;
  t.match(irq.description, 'varies between trials (median drawn): fixed route commits at disks=500: 501/600');
});

t.test('failed trials are said on every chart, not silently dropped', async (t) => {
  for (const chart of chartsFor(await model()).charts) {
    t.match(chart.description, 'left out: unfixed at disks=1000, 2 of 3 trials failed (timeout)', chart.id);
  }
});

t.test('one disk count: no start-up curve, a note instead; the other charts still come', async (t) => {
  const obs = (await withSyntheticCounts()).filter((o) => o.params.disks === 500);
  const { charts, notes } = chartsFor(await model(await runWith(obs)));
  t.same(
    charts.map((c) => c.id),
    ['seed-drain-phases', 'seed-drain-irq', 'seed-drain-spread'],
  );
  t.match(notes, [{ caseName: 'seed-drain', text: /start-up vs disks not drawn: the case boots one disk count \(500\)/ }]);
});

t.test('variant colours are the same in every chart and follow the case order', async (t) => {
  const m = await model();
  t.same([...m.colours.keys()], seedDrainVariants);
  t.equal(new Set(m.colours.values()).size, 3);
});

t.test('a case whose name starts with another case\'s name gets only its own charts and notes', async (t) => {
  // disks-4096 and disks-4096-fixes: charts were once placed by id prefix, so the second case's
  // charts also showed under the first.
  const obs = await fixtureObservations();
  const fixes = obs.filter((o) => o.params.disks === 500).map((o) => ({ ...o, case: 'seed-drain-fixes', trialId: o.trialId.replace(/^seed-drain/, 'seed-drain-fixes') }));
  const m = await model(await runWith([...obs, ...fixes]));
  const { charts, notes } = chartsFor(m);
  const doc = buildDocument(m, charts, notes);
  const chartIds = (title: string) =>
    doc.sections.find((s) => s.title === title)!.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart.id] : []));
  t.same(chartIds('Case seed-drain'), ['seed-drain-startup', 'seed-drain-phases', 'seed-drain-spread']);
  t.same(chartIds('Case seed-drain-fixes'), ['seed-drain-fixes-phases', 'seed-drain-fixes-spread']);
  const listed = (title: string) => doc.sections.find((s) => s.title === title)!.blocks.flatMap((b) => (b.kind === 'list' ? b.items : []));
  t.match(listed('Case seed-drain-fixes'), [/start-up vs disks not drawn: the case boots one disk count/, /IRQ routing chart not drawn/]);
  t.notMatch(listed('Case seed-drain').join('\n'), /one disk count/, "the other case's note is not under this one");
});

t.test('the start-up chart takes a log y axis when its medians span ×10 or more, a linear one otherwise', async (t) => {
  const yScale = (chart: ReturnType<typeof chartsFor>['charts'][number]) => {
    const scales = (chart.config(defaultTheme).options as { scales: Record<string, { type: string; title: { text: string } }> }).scales;
    return { x: scales.x!.type, y: scales.y!.type, title: scales.y!.title.text };
  };
  // The seed-drain run: fixed 4.7-15 s against unfixed 6.6-154 s.
  const wide = yScale(chartsFor(await model()).charts[0]!);
  t.same(wide, { x: 'linear', y: 'logarithmic', title: 'start-up time (s, log scale)' });
  // The same run with only the 250 and 500-disk points of fixed and upstream: 4.7-7.3 s.
  const narrow = await runWith((await fixtureObservations()).filter((o) => o.variant.name !== 'unfixed' && o.params.disks < 1000));
  t.same(yScale(chartsFor(buildModel(await openRun(narrow))).charts[0]!), { x: 'linear', y: 'linear', title: 'start-up time (s)' });
});
