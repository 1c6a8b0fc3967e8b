/**
 * junit.xml: one test case per compared point, so CI dashboards (GitLab, Jenkins) chart a
 * patch's effect over time. SLOWER is a failure; UNKNOWN is "skipped" (not decided, more
 * trials needed), never a pass: a dashboard must not turn an inconclusive run green.
 */
import { testLabels } from '../../analyze/index.js';
import { interval, pValue, ratio, secs } from '../units.js';
import { escapeXml as esc } from '../xml.js';
import type { ReportFormat } from './format.js';

export const junitFormat: ReportFormat = {
  name: 'junit',
  async write(ctx) {
    const report = ctx.model.comparison.table;
    const metric = report.options.metric;
    const runId = ctx.model.run.manifest.runId;
    const suites = ctx.model.cases.map((c) => {
      const rows = report.times.filter((r) => r.pair.old.case === c.name);
      const cases = rows.map((r) => {
        const k = r.comparison;
        const verdict = k?.verdict ?? 'UNKNOWN';
        const summary = k
          ? `${r.pair.new.variant} ${secs(k.medianNew)} s vs ${r.pair.old.variant} ${secs(k.medianOld)} s: ratio ${ratio(k.ratio)} ${interval(k.ratioCI, ratio)}, p = ${pValue(k.pValue)} (${testLabels[k.method]}), n = ${k.nOld}+${k.nNew}: ${verdict} (${k.reason})`
          : `${r.pair.new.variant} vs ${r.pair.old.variant}: a side has no trial that ended ok`;
        const outcome =
          verdict === 'SLOWER'
            ? `<failure type="SLOWER" message="${esc(summary)}">${esc(summary)}</failure>`
            : verdict === 'UNKNOWN'
              ? `<skipped message="${esc(summary)}"/>`
              : '';
        const time = k ? (k.medianNew / 1000).toFixed(3) : '0';
        return `    <testcase classname="${esc(`emuflock.${c.name}.${r.pair.new.point}`)}" name="${esc(`${r.pair.new.variant} vs ${r.pair.old.variant} (${metric})`)}" time="${time}">${outcome}<system-out>${esc(summary)}</system-out></testcase>`;
      });
      const failures = rows.filter((r) => r.comparison?.verdict === 'SLOWER').length;
      const skipped = rows.filter((r) => (r.comparison?.verdict ?? 'UNKNOWN') === 'UNKNOWN').length;
      return { tests: rows.length, failures, skipped, xml: `  <testsuite name="${esc(c.name)}" tests="${rows.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>` };
    });
    const total = (k: 'tests' | 'failures' | 'skipped') => suites.reduce((n, s) => n + s[k], 0);
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="${esc(`emuflock ${runId}`)}" tests="${total('tests')}" failures="${total('failures')}" errors="0" skipped="${total('skipped')}">`,
      ...suites.map((s) => s.xml),
      '</testsuites>',
    ].join('\n');
    await ctx.writeFile('junit.xml', xml + '\n');
    return ['junit.xml'];
  },
};
