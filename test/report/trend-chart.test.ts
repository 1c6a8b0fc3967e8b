import t from 'tap';
import { labelRow, trendChart, type PlacedLabel, type TrendInput } from '../../harness/report/charts/trend.js';
import { renderPng, renderSvg } from '../../harness/report/render.js';
import { defaultTheme, talkTheme } from '../../harness/report/theme.js';
import { assertWellFormedXml, inspectPng } from './helpers.js';

const point = (median: number, spread = 0.1) => ({ median, lower: median * (1 - spread), upper: median * (1 + spread) });

const input: TrendInput = {
  caseName: 'probe-2000',
  id: 'history-diskProbe',
  title: 'disk probe across QEMU sources: probe-2000',
  subtitle: ['4 sources in history order'],
  sources: ['debian:trixie', 'debian:1:10.2.2+ds-1', 'v11.0.0', 'v11.1.0'],
  lines: [
    { label: 'upstream', variant: 'upstream', points: [point(35_900), point(36_100), point(173_000), point(171_000)] },
    { label: 'fixed', variant: 'fixed', points: [point(30_000), null, point(31_000), point(30_500)] },
  ],
  steps: [{ from: 1, at: 2, line: 0, verdict: 'SLOWER', ratio: 4.79 }],
};

t.test('a trend chart says its lines, its gaps and its step in words, and draws in both sizes', async (t) => {
  const outcome = trendChart(input);
  if (!('chart' in outcome)) return t.fail(`not drawn: ${outcome.skipped}`);
  const chart = outcome.chart;
  t.match(chart.description, /upstream: debian:trixie 35\.9 s, debian:1:10\.2\.2\+ds-1 36\.1 s, v11\.0\.0 173 s, v11\.1\.0 171 s/);
  t.match(chart.description, /fixed: debian:trixie 30\.0 s, debian:1:10\.2\.2\+ds-1 no time/);
  t.match(chart.description, /step SLOWER 4\.79× between debian:1:10\.2\.2\+ds-1 and v11\.0\.0 \(upstream\)/);
  for (const theme of [defaultTheme, talkTheme]) {
    const png = await inspectPng(renderPng(chart, theme));
    t.same([png.width, png.height], [theme.width, theme.height]);
    t.ok(png.colours > 30, `${theme.name}: ${png.colours} distinct colours`);
  }
  t.doesNotThrow(() => assertWellFormedXml(renderSvg(chart)), 'the SVG is well-formed');
});

t.test('a bisected step names its culprit in words and on the chart, inside its frame', async (t) => {
  const culprit = '293125078086 block: wrlock in bdrv_replace_child_noperm';
  // A step late in the history: its label reads leftwards, so it stays inside the chart.
  const late = trendChart({ ...input, steps: [{ from: 2, at: 3, line: 0, verdict: 'SLOWER', ratio: 3.28, culprit }] });
  if (!('chart' in late)) return t.fail(`not drawn: ${late.skipped}`);
  t.match(late.chart.description, /step SLOWER 3\.28× between v11\.0\.0 and v11\.1\.0 \(upstream\), first slow commit 293125078086 block: wrlock in bdrv_replace_child_noperm/);
  const svg = renderSvg(late.chart);
  t.match(svg, /293125078086 block: wrlock/, 'the label is drawn');
  t.doesNotThrow(() => assertWellFormedXml(svg));
});

t.test('no source with a time: no chart, and why', async (t) => {
  t.same(trendChart({ ...input, lines: [{ label: 'upstream', variant: 'upstream', points: [null, null, null, null] }], steps: [] }), {
    skipped: 'disk probe across QEMU sources: probe-2000: no source has a time',
  });
});

t.test('step labels that would overlap go one under the other; apart, they share the top row', async (t) => {
  const placed: PlacedLabel[] = [];
  // The QEMU-init history: a long culprit label from the first step reaches past the second step,
  // whose label reads to the right of its rule.
  t.equal(labelRow(placed, 226, 893, 8), 0, 'the first label: top row');
  t.equal(labelRow(placed, 640, 792, 8), 1, 'overlapping the first: one row down');
  t.equal(labelRow(placed, 910, 1000, 8), 0, 'clear of the top-row label by more than the gap: top row');
  t.equal(labelRow(placed, 1005, 1100, 8), 1, 'within the gap of a top-row label: down');
  t.equal(labelRow(placed, 226, 700, 8), 2, 'reaching both rows\' labels: the third row');
  t.equal(labelRow(placed, 226, 600, 8), 1, 'clear of the second row\'s labels: the second row');
});
