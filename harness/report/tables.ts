/**
 * The tables of one case: the comparison with the baseline at every point, medians by phase,
 * growth exponents, exact counts side by side, and the failed trials. Formatting only: every
 * comparison comes from comparison.ts, every median from the model.
 */
import { median, testLabels, type CountSide } from '../analyze/index.js';
import type { Block, Section } from './document-model.js';
import type { CaseModel, ReportModel } from './model.js';
import { exponent, interval, pValue, ratio, secs } from './units.js';
import { referenceMs, referenceValue } from '../case/reference.js';
import { addressSpaceTable } from './address-space-table.js';
import { phaseTable } from '../record/phases.js';

const withCI = (s: { median: number; medianCI: { lower: number; upper: number; level: number } } | null) =>
  s ? `${secs(s.median)} ${interval(s.medianCI, secs)}` : '-';

/** The case's sections, in the order a reader wants them; a table with nothing to show is left out. */
export function caseTables(model: ReportModel, c: CaseModel): Section[] {
  return [publishedTable(c), comparisonTable(model, c), phaseMediansTable(c), addressSpaceTable(c), growthTable(model, c), countsTable(model, c), failedTrials(c)].filter(
    (x): x is Section => x !== undefined,
  );
}

/** The published figures the case reproduces, each beside this run's median at the same point. */
function publishedTable(c: CaseModel): Section | undefined {
  if (c.references.length === 0) return undefined;
  return {
    title: 'Published figures beside this run',
    blocks: [
      {
        kind: 'table',
        caption: `start-up (spawn → every disk seen); published: as measured under the conditions given; this run: ${c.setup}`,
        header: ['variant', 'disks', 'published', 'conditions', 'this run, median [CI]', 'this run / published', 'source'],
        rows: c.references.map((r) => {
          const ours = c.points.find((p) => p.variant === r.variant && p.disks === r.disks)?.total ?? null;
          return [
            r.variant,
            String(r.disks),
            referenceValue(r),
            r.conditions,
            withCI(ours),
            ours ? ratio(ours.median / referenceMs(r)) : '-',
            r.source,
          ];
        }),
        numeric: [false, true, true, false, true, true, false],
      },
    ],
  };
}

function comparisonTable(model: ReportModel, c: CaseModel): Section | undefined {
  const report = model.comparison.table;
  const metric = report.options.metric;
  const baseline = c.variants[0]!;
  const times = report.times.filter((r) => r.pair.old.case === c.name);
  if (times.length === 0) return undefined;
  const unknown = times.filter((r) => r.comparison === null || r.comparison.verdict === 'UNKNOWN');
  return {
    title: `Each variant vs ${baseline} (${metric}, seconds)`,
    blocks: [
      {
        kind: 'table',
        caption: `${metric}: median [95% CI] in seconds; ratio = variant/baseline [95% CI], below 1 is faster`,
        header: ['point', 'variant', `${baseline} median [CI]`, 'variant median [CI]', 'ratio [CI]', 'p', 'test', 'n', 'verdict'],
        rows: times.map((r) => {
          const k = r.comparison;
          return [
            r.pair.new.point,
            r.pair.new.variant,
            withCI(r.old),
            withCI(r.new),
            k ? `${ratio(k.ratio)} ${interval(k.ratioCI, ratio)}` : '-',
            k ? pValue(k.pValue) : '-',
            k ? testLabels[k.method] : '-',
            `${r.pair.old.used.length}+${r.pair.new.used.length}`,
            k?.verdict ?? 'UNKNOWN',
          ];
        }),
        numeric: [false, false, true, true, true, true, false, true, false],
      },
      ...(unknown.length > 0
        ? [
            { kind: 'paragraph' as const, text: 'Why UNKNOWN:' },
            {
              kind: 'list' as const,
              items: unknown.map((r) => `${r.pair.new.variant} at ${r.pair.new.point}: ${r.comparison?.reason ?? 'a side has no trial that ended ok'}`),
            },
          ]
        : []),
    ],
  };
}

function phaseMediansTable(c: CaseModel): Section {
  return {
    title: 'Medians by phase (seconds)',
    blocks: [
      {
        kind: 'table',
        caption: 'median over the trials that ended ok; total with its 95% CI; peak RSS of QEMU, MiB (median)',
        header: ['point', 'variant', 'ok', 'total [CI]', ...phaseTable.map((p) => p.label), 'RSS MiB'],
        rows: c.points.map((p) => {
          const rss = p.used.map((o) => o.resources.rssPeakKiB).filter((x): x is number => typeof x === 'number');
          return [
            p.point,
            p.variant,
            `${p.used.length}/${p.trials.length}`,
            withCI(p.total),
            ...phaseTable.map(({ ms }) => (p.phaseMedians[ms] === null ? '-' : secs(p.phaseMedians[ms]!))),
            rss.length > 0 ? (median(rss) / 1024).toFixed(0) : '-',
          ];
        }),
        numeric: [false, false, true, true, true, true, true, true, true],
      },
    ],
  };
}

function growthTable(model: ReportModel, c: CaseModel): Section | undefined {
  const report = model.comparison.table;
  const growth = report.growth.filter((g) => g.case === c.name).sort((a, b) => c.variants.indexOf(a.variant) - c.variants.indexOf(b.variant));
  if (growth.length === 0) return undefined;
  return {
    title: 'Growth with the disk count',
    blocks: [
      {
        kind: 'table',
        caption: `${report.options.metric} ≈ c·disks^k, least squares on log-log axes over every ok trial; k = 1 linear, 2 quadratic, 3 cubic`,
        header: ['variant', 'point', 'disks', 'k', 'k 95% CI', 'R²', 'trials'],
        rows: growth.map((g) => [
          g.variant,
          g.rest || '-',
          g.disks.join(', '),
          exponent(g.fit.exponent),
          g.fit.exponentCI ? interval(g.fit.exponentCI, (x) => x.toFixed(2)) : 'none (2 points)',
          g.fit.r2.toFixed(3),
          String(g.fit.points),
        ]),
        numeric: [false, false, false, true, true, true, true],
      },
    ],
  };
}

function countsTable(model: ReportModel, c: CaseModel): Section | undefined {
  const report = model.comparison.table;
  const counts = report.counts.filter((r) => r.pair.old.case === c.name);
  const shown = (side: CountSide) => (side.constant ? String(side.value) : side.values.join('/'));
  const blocks: Block[] = [];
  if (counts.length > 0) {
    blocks.push({
      kind: 'table',
      caption: 'exact counts, compared where every ok trial of both sides measured them; a/b means the count varied between trials',
      header: ['point', 'variant', 'count', c.variants[0]!, 'variant', 'verdict'],
      rows: counts.map((r) => [
        r.pair.new.point,
        r.pair.new.variant,
        r.name,
        r.comparison ? shown(r.comparison.old) : r.missing === 'new' ? 'measured' : '-',
        r.comparison ? shown(r.comparison.new) : r.missing === 'old' ? 'measured' : '-',
        r.comparison?.verdict ?? `not measured (${r.missing})`,
      ]),
      numeric: [false, false, false, true, true, false],
    });
  }
  if (report.unmeasured.length > 0) blocks.push({ kind: 'paragraph', text: `Not measured in this run: ${report.unmeasured.join(', ')}.` });
  return blocks.length > 0 ? { title: 'Exact counts', blocks } : undefined;
}

function failedTrials(c: CaseModel): Section | undefined {
  const failed = c.points.flatMap((p) => p.trials.filter((o) => o.outcome !== 'ok'));
  if (failed.length === 0) return undefined;
  return {
    title: 'Failed trials',
    blocks: [
      {
        kind: 'list',
        items: failed.map((o) => `${o.trialId}: ${o.outcome}${o.error ? ` (${o.error.phase ? `${o.error.phase}: ` : ''}${o.error.message})` : ''}`),
      },
    ],
  };
}
