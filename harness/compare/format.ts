import { testLabels, testRuleText, type CountSide, type Interval } from '../analyze/index.js';
import { textTable } from '../core/text-table.js';
import type { CompareReport, CountRow, TimeRow } from './compare.js';
import type { Pair } from './pairing.js';
import { describeExcluded } from './samples.js';

/**
 * The text of `emuflock compare`, benchstat-like: one row per compared point, then exact
 * counts, growth exponents, and why any verdict is UNKNOWN. Formatting only: every number comes
 * from compareRuns.
 */
export function formatComparison(report: CompareReport): string {
  const { metric, threshold, alpha } = report.options;
  const out: string[] = [];
  out.push(`${metric}: median [95% CI] in seconds; delta = new/old - 1 [95% CI]; SLOWER/FASTER need p < ${alpha} and |delta| > ${pct(threshold)}`);
  out.push(`test: ${testRuleText}`);
  const sides = report.mode === 'baseline' ? ['run'] : ['old', 'new'];
  report.runs.forEach((r, i) => {
    const excluded = describeExcluded(r.excluded);
    out.push(`${sides[i]}: ${r.label} (${r.used} trials used${excluded ? `; excluded: ${excluded}` : ''})`);
  });
  for (const n of report.notes) out.push(`note: ${n}`);
  out.push('');
  if (report.times.length > 0) out.push(timeTable(report), '');
  if (report.counts.length > 0) out.push('exact counts (compared only where every used trial measured them):', countTable(report.counts, report.mode), '');
  if (report.unmeasured.length > 0) out.push(`not measured: ${report.unmeasured.join(', ')}`, '');
  if (report.growth.length > 0) {
    out.push(
      `growth with the disk count (${metric} ≈ c·disks^k; 1 linear, 2 quadratic):`,
      textTable(
        ['run', 'case', 'variant', 'point', 'disks', 'k [95% CI]', 'R²', 'trials'],
        report.growth.map((g) => [
          g.run,
          g.case,
          g.variant,
          g.rest || '-',
          g.disks.join(','),
          `${g.fit.exponent.toFixed(2)} ${g.fit.exponentCI ? interval(g.fit.exponentCI, (x) => x.toFixed(2)) : '(no CI: 2 points)'}`,
          g.fit.r2.toFixed(3),
          String(g.fit.points),
        ]),
      ),
      '',
    );
  }
  const unknown = report.times.filter((r) => r.comparison === null || r.comparison.verdict === 'UNKNOWN');
  if (unknown.length > 0) {
    out.push('why UNKNOWN:');
    for (const r of unknown) out.push(`  ${where(r.pair, report.mode).join(' ')}: ${r.comparison?.reason ?? noDataReason(r)}`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

function timeTable(report: CompareReport): string {
  const header = report.mode === 'baseline' ? ['case', 'point', 'variant vs baseline'] : ['case', 'point', 'variant'];
  return textTable(
    [...header, 'old s', 'new s', 'delta', 'p', 'test', 'n', 'verdict'],
    report.times.map((r) => {
      const c = r.comparison;
      return [
        ...where(r.pair, report.mode),
        r.old ? `${secs(r.old.median)} ${interval(r.old.medianCI, secs)}` : '-',
        r.new ? `${secs(r.new.median)} ${interval(r.new.medianCI, secs)}` : '-',
        c ? `${delta(c.ratio)} ${interval(c.ratioCI, delta)}` : '-',
        c ? c.pValue.toPrecision(2) : '-',
        c ? testLabels[c.method] : '-',
        `${r.pair.old.used.length}+${r.pair.new.used.length}`,
        c?.verdict ?? 'UNKNOWN',
      ];
    }),
  );
}

function countTable(rows: CountRow[], mode: CompareReport['mode']): string {
  const shown = (side: CountSide) => (side.constant ? String(side.value) : side.values.join('/'));
  return textTable(
    ['case', 'point', 'variant', 'count', 'old', 'new', 'verdict'],
    rows.map((r) => [
      ...where(r.pair, mode),
      r.name,
      r.comparison ? shown(r.comparison.old) : r.missing === 'new' ? 'measured' : '-',
      r.comparison ? shown(r.comparison.new) : r.missing === 'old' ? 'measured' : '-',
      r.comparison?.verdict ?? `not measured (${r.missing})`,
    ]),
  );
}

/** Case, point and variant of a pair, "old → new" where the two sides differ. */
function where(pair: Pair, mode: CompareReport['mode']): string[] {
  const both = (a: string, b: string) => (a === b ? a : `${a} → ${b}`);
  const variant = mode === 'baseline' ? `${pair.new.variant} vs ${pair.old.variant}` : both(pair.old.variant, pair.new.variant);
  return [both(pair.old.case, pair.new.case), both(pair.old.point, pair.new.point), variant];
}

function noDataReason(r: TimeRow): string {
  const sides = [r.old ? '' : 'old', r.new ? '' : 'new'].filter(Boolean);
  return `no usable trial on the ${sides.join(' and ')} side (see the excluded counts)`;
}

function secs(ms: number): string {
  const s = ms / 1000;
  return s.toFixed(s < 10 ? 3 : s < 100 ? 2 : 1);
}

function delta(ratio: number): string {
  const d = (ratio - 1) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`;
}

function pct(x: number): string {
  return `${+(x * 100).toFixed(2)}%`;
}

function interval(ci: Interval, fmt: (x: number) => string): string {
  return `[${fmt(ci.lower)}, ${fmt(ci.upper)}]`;
}
