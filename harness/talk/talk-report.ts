import type { ClaimResult } from './claim-results.js';
import type { ClaimsFile } from './claims.js';
import type { Observation } from '../record/observation.js';

/**
 * "The talk, reproduced": one row per claim (the talk's figure, ours, the verdict or the limit
 * found, the chart that shows it), then the claims this host cannot check and why. Markdown,
 * written beside the run's report/ so that chart links are relative to the run directory.
 */
export function talkMarkdown(claims: ClaimsFile, results: readonly ClaimResult[], observations: readonly Observation[], charts: ReadonlyMap<string, string>): string {
  const ran = results.filter((r) => r.claim.cannotRun === undefined);
  const notHere = results.filter((r) => r.claim.cannotRun !== undefined);
  const lines = [
    `# The talk, reproduced: ${claims.title}`,
    '',
    `${claims.source}. The talk measured on ${claims.conditions}; the figures here are from ${hostLine(observations)}.`,
    'Absolute times are not comparable across the two hosts; ratios, verdicts and limits are what carries over.',
    '',
    '| Claim | Slide | The talk | Here | Verdict or limit | Chart |',
    '|---|---|---|---|---|---|',
    ...ran.map((r) => row([r.claim.claim, r.claim.slide, r.claim.talk, r.ours, r.verdict || '-', chartLink(r, charts)])),
  ];
  if (notHere.length > 0) {
    lines.push('', '## Not run on this host', '', ...notHere.map((r) => `- **${cell(r.claim.claim)}** (talk: ${cell(r.claim.talk)}; slide ${cell(r.claim.slide)}): ${cell(r.claim.cannotRun!)}`));
  }
  return lines.join('\n') + '\n';
}

function hostLine(observations: readonly Observation[]): string {
  const o = observations[0];
  if (!o) return 'no trial';
  const accels = [...new Set(observations.map((x) => x.params.accel.toUpperCase()))].join(' and ');
  const qemus = [...new Set(observations.map((x) => x.variant.qemuVersion).filter(Boolean))].join(', ');
  return `${o.host.cpuModel} (${o.host.cpus} CPUs, ${(o.host.memKiB / 1024 / 1024).toFixed(0)} GiB), ${accels}, QEMU ${qemus || 'unknown'}, run ${o.runId}`;
}

function chartLink(r: ClaimResult, charts: ReadonlyMap<string, string>): string {
  const file = r.caseName ? charts.get(`${r.caseName}-${r.claim.chart ?? 'startup'}`) : undefined;
  return file ? `[${r.claim.chart ?? 'startup'}](${file})` : '-';
}

/** One table cell: no pipe, line break or control character (a journal's error text may hold any). */
const cell = (s: string) =>
  s
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
