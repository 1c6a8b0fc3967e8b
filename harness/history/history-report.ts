import { join, resolve } from 'node:path';
import { summarize } from '../analyze/index.js';
import type { PhaseName } from '../record/phases.js';
import type { ChartSpec } from '../report/charts/chart.js';
import { trendChart, type TrendStep } from '../report/charts/trend.js';
import type { Block, ReportDocument, Section } from '../report/document-model.js';
import { htmlFormat } from '../report/formats/html.js';
import { markdownFormat } from '../report/formats/markdown.js';
import { pngFormat } from '../report/formats/png.js';
import { svgFormat } from '../report/formats/svg.js';
import { writeDocumentFiles } from '../report/index.js';
import { checkReportDir } from '../report/out-dir.js';
import { bisectKey } from './bisect-key.js';
import { phaseLabel } from '../record/phases.js';
import { secs } from '../report/units.js';
import { phasesWholeFirst } from './trend.js';
import { findingLines, openRegressions, sourceName, sourceTick, standingSteps, type Finding } from './findings.js';
import type { HistoryFile } from './history-file.js';
import { changeRule } from './rule-text.js';

/**
 * The history's report under <history>/report/: per metric a trend chart (sources in order,
 * medians with their intervals, steps marked) and its table, the findings as paste-able
 * lines, the open regressions, the sources and the bisects of steps. The same document makes
 * report.md and report.html, with the charts as PNG (and inline SVG in the page).
 */
export async function writeHistoryReport(dir: string, history: HistoryFile, findings: readonly Finding[]): Promise<string> {
  const charts: ChartSpec[] = [];
  const sections: Section[] = [];
  for (const metric of phasesWholeFirst) {
    const ofMetric = findings.filter((f) => f.trend.metric === metric);
    if (ofMetric.length === 0) continue;
    const outcome = metricChart(history, metric, ofMetric);
    const blocks: Block[] = [];
    if ('chart' in outcome) {
      charts.push(outcome.chart);
      blocks.push({ kind: 'chart', chart: outcome.chart });
    }
    blocks.push(metricTable(history, metric, ofMetric));
    sections.push({ title: phaseLabel(metric), blocks });
  }
  const lines = findings.flatMap((f) => findingLines(history, f));
  const open = openRegressions(findings);
  const document: ReportDocument = {
    title: `History of ${history.case.name} across ${history.sources.length} QEMU sources`,
    intro: [
      { kind: 'paragraph', text: `Case ${history.case.file}, measured once per source: ${history.sources.map(sourceName).join(' → ')}.` },
      { kind: 'paragraph', text: lines.length > 0 ? 'What changed:' : 'No step, no drift: every metric stays within the noise from the first source to the last.' },
      ...(lines.length > 0 ? [{ kind: 'code' as const, language: 'text', text: lines.join('\n') }] : []),
      { kind: 'paragraph', text: `Open regressions (steps that made a metric slower and hold to the last source): ${open.length}.` },
    ],
    sections: [
      ...sections,
      { title: 'Sources', blocks: [sourceTable(history)] },
      ...(history.bisects && Object.keys(history.bisects).length > 0 ? [{ title: 'Bisected steps', blocks: [bisectList(history)] }] : []),
      { title: 'What counts as a step', blocks: [{ kind: 'paragraph', text: changeRule }] },
    ],
  };
  const out = resolve(join(dir, 'report'));
  await checkReportDir(out, dir, 'history report');
  await writeDocumentFiles(out, `report of history ${history.name}`, { document, charts }, [pngFormat, svgFormat, markdownFormat, htmlFormat]);
  return out;
}

function metricChart(history: HistoryFile, metric: PhaseName, findings: readonly Finding[]) {
  const steps: TrendStep[] = findings.flatMap((f, line) =>
    standingSteps(f).map(({ step: s }) => {
      const b = history.bisects?.[bisectKey(history, f.trend, s)];
      const culprit = b?.culprit && b.confirmed ? `${b.culprit.slice(0, 12)} ${b.subject ?? ''}`.trim() : undefined;
      return { from: s.from, at: s.at, line, verdict: s.verdict, ratio: s.comparison.ratio, ...(culprit ? { culprit } : {}) };
    }),
  );
  const onePoint = new Set(findings.map((f) => f.trend.point)).size === 1;
  return trendChart({
    caseName: history.case.name,
    id: `history-${metric.replace(/Ms$/, '')}`,
    title: `${phaseLabel(metric)} across QEMU sources: ${history.case.name}`,
    subtitle: [`${history.sources.length} sources in history order; median of the ok trials, whisker = bootstrap 95% interval; dashed rules mark steps (▲ slower, ▼ faster)`],
    sources: history.sources.map(sourceTick),
    lines: findings.map((f) => ({
      label: onePoint ? f.trend.variant : `${f.trend.variant} ${f.trend.point}`,
      variant: f.trend.variant,
      points: f.trend.levels.map((v) => {
        if (v.length === 0) return null;
        const s = summarize(v);
        return { median: s.median, lower: s.medianCI.lower, upper: s.medianCI.upper };
      }),
    })),
    steps,
  });
}

/** Rows are the sources, columns the lines: "median [interval] ok/trials" in seconds. */
function metricTable(history: HistoryFile, metric: PhaseName, findings: readonly Finding[]): Block {
  const rows = history.sources.map((s, i) => [
    sourceName(s),
    ...findings.map((f) => {
      const v = f.trend.levels[i]!;
      const n = f.trend.trials[i]!;
      if (v.length === 0) return n.all > 0 ? `- (0/${n.all} ok)` : '-';
      const m = summarize(v);
      return `${secs(m.median)} [${secs(m.medianCI.lower)}, ${secs(m.medianCI.upper)}] ${n.ok}/${n.all}`;
    }),
  ]);
  return {
    kind: 'table',
    caption: `${phaseLabel(metric)} (s): median [95% interval] ok/trials, per source`,
    header: ['source', ...findings.map((f) => `${f.trend.variant} ${f.trend.point}`)],
    rows,
    numeric: [false, ...findings.map(() => true)],
  };
}

function sourceTable(history: HistoryFile): Block {
  return {
    kind: 'table',
    caption: 'Sources, in history order',
    header: ['#', 'source', 'built from', 'QEMU', 'status'],
    rows: history.sources.map((s, i) => {
      const r = history.records[s.id];
      const status = r?.status === 'measured' ? `measured: ${r.runDir}` : r?.status === 'failed' ? `passed over: ${r.reason}` : 'not measured yet';
      return [String(i + 1), sourceName(s), s.git ? `${s.git.commit.slice(0, 12)} ${s.git.subject}` : s.spec, s.qemuVersion ?? '-', status];
    }),
    numeric: [true, false, false, false, false],
  };
}

function bisectList(history: HistoryFile): Block {
  const name = (id: string) => {
    const s = history.sources.find((x) => x.id === id);
    return s ? sourceName(s) : id;
  };
  return {
    kind: 'list',
    items: Object.entries(history.bisects ?? {}).map(([key, b]) => {
      // The key is `<from id>..<at id> <metric> <point> <variant>` (bisect-key.ts): said as the findings say it.
      const [pair = '', metric = '', ...rest] = key.split(' ');
      const [from = '', at = ''] = pair.split('..');
      const step = `${name(from)} → ${name(at)}, ${phaseLabel(metric as PhaseName)} at ${rest.slice(0, -1).join(' ')} (${rest[rest.length - 1] ?? ''})`;
      const where = b.dir === '-' ? 'neighbours: no bisect needed' : `${b.dir}/bisect.md`;
      return b.culprit
        ? `${step}: first slow commit ${b.culprit.slice(0, 12)} ${b.subject ?? ''} (${b.confirmed ? 'confirmed' : 'NOT confirmed'}; ${where})`
        : `${step}: ${b.error ?? 'not finished'} (${b.dir})`;
    }),
  };
}
