import { testRuleText } from '../analyze/index.js';
import type { CompareReport, CountRow } from '../compare/compare.js';
import { runFacts } from '../report/metadata.js';
import { mailWidth, clipLines, shellLines, wrap } from './plain-text.js';
import { changedPhases, pointRows, pointTable } from './point-table.js';
import type { PostedSeries } from './posted-series.js';
import type { Observation } from '../record/observation.js';
import { phaseLabel, type PhaseName } from '../record/phases.js';
import { irqCountLabels } from '../record/counts.js';

export interface ReviewInput {
  posted: PostedSeries;
  /** The base variant's name and what it is built from ("Debian qemu 7.2+dfsg-7+deb12u18"). */
  base: { name: string; label: string };
  seriesVariant: string;
  caseName: string;
  /** Every phase compared over the run, series vs base. */
  reports: ReadonlyMap<PhaseName, CompareReport>;
  /** The phase whose verdict decides (exit status, Tested-by): the adaptive rule's metric. */
  metric: PhaseName;
  observations: readonly Observation[];
  /** The command that reproduces the run, seed included. */
  reproduce: string[];
  emuflockVersion: string;
  testedBy?: string;
}

export interface ReviewVerdict {
  /** Some point's decision metric is SLOWER. */
  slower: boolean;
  /** Trials of the series that did not end ok: a finding in themselves. */
  failedSeriesTrials: Observation[];
  /** Whether the reply carries Tested-by. */
  testedBy: boolean;
}

export function reviewVerdict(input: Pick<ReviewInput, 'reports' | 'metric' | 'observations' | 'seriesVariant' | 'testedBy'>): ReviewVerdict {
  const slower = input.reports.get(input.metric)?.regression ?? false;
  const failedSeriesTrials = input.observations.filter((o) => !o.warmup && o.outcome !== 'ok' && o.variant.name === input.seriesVariant);
  return { slower, failedSeriesTrials, testedBy: input.testedBy !== undefined && !slower && failedSeriesTrials.length === 0 };
}

/**
 * review.txt: a reply to the series, ready to paste under its quote in a mail client. Plain
 * text, at most 72 columns, every figure taken from compare/ (the numbers `emuflock compare`
 * and report.html show), so a reply never disagrees with the run it came from.
 */
export function reviewText(input: ReviewInput): string {
  const verdict = reviewVerdict(input);
  const out: string[] = [];
  const lead = input.posted.cover ?? input.posted.patches[0]!.message;
  const from = lead.headers.get('from');
  const date = lead.headers.get('date');
  out.push(...wrap(`On ${date ?? 'an unknown date'}, ${from ?? 'the author'} wrote:`));
  out.push(...wrap(input.posted.subject, mailWidth, '> '));
  out.push('');

  const n = input.posted.patches.length;
  const obs = input.observations.filter((o) => !o.warmup);
  const first = obs[0];
  const setup = first ? `${first.params.arch} guest under ${first.params.accel.toUpperCase()}` : 'no trial ran';
  out.push(
    ...wrap(
      `I applied the series (${n} patch${n > 1 ? 'es' : ''}) with git am onto ${input.base.name} (${input.base.label}), built QEMU with and without it, and booted both interleaved with emuflock: case ${input.caseName}, ${setup}. Times are medians with their 95% bootstrap intervals; ratio = series/base (below 1 is faster). A verdict needs p < ${alphaOf(input)} and a change beyond ${thresholdOf(input)}; the test: ${testRuleText}.`,
    ),
  );
  out.push('');

  const points = pointRows(input.reports);
  for (const p of points) {
    const row = p.rows.get(input.metric) ?? [...p.rows.values()][0]!;
    out.push(`${p.point}: ${row.pair.old.used.length} + ${row.pair.new.used.length} trials`);
    out.push(pointTable(p.rows, input.base.name, 'series'));
    const { changed, same, undecided } = changedPhases(p.rows);
    const summary = [
      changed.length > 0 ? `Changed: ${changed.join(', ')}.` : 'No phase changed measurably.',
      same.length > 0 ? `Unchanged (SAME): ${same.join(', ')}.` : '',
      undecided.length > 0 ? `Undecided: ${undecided.join(', ')}.` : '',
    ];
    out.push(...wrap(summary.filter(Boolean).join(' ')));
    out.push('');
  }
  if (points.length === 0) out.push('No point has ok trials on both sides: nothing could be compared.', '');

  out.push(...countLines(input.reports.get(input.metric) ?? [...input.reports.values()][0]), '');
  out.push(...failureLines(input), '');
  out.push(...setupLines(input), '');
  out.push(`Reproduce (emuflock ${input.emuflockVersion}, from the same directory):`);
  out.push(...shellLines(input.reproduce));
  out.push('');
  const decision = phaseLabel(input.metric);
  if (verdict.slower) out.push(...wrap(`The series makes ${decision} SLOWER at ${slowerPoints(input).join(', ')}.`));
  if (verdict.failedSeriesTrials.length > 0) out.push(...wrap(`${verdict.failedSeriesTrials.length} boot${verdict.failedSeriesTrials.length > 1 ? 's' : ''} with the series failed (above).`));
  if (verdict.testedBy) out.push(`Tested-by: ${input.testedBy}`);
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function alphaOf(input: ReviewInput): number {
  return input.reports.get(input.metric)?.options.alpha ?? 0.01;
}

function thresholdOf(input: ReviewInput): string {
  return `${+((input.reports.get(input.metric)?.options.threshold ?? 0.05) * 100).toFixed(2)}%`;
}

function slowerPoints(input: ReviewInput): string[] {
  return (input.reports.get(input.metric)?.times ?? []).filter((r) => r.comparison?.verdict === 'SLOWER').map((r) => r.pair.new.point);
}

const countLabels: Record<CountRow['name'], string> = { disksSeen: 'disks seen by the guest', ...irqCountLabels };

/** Exact counts: the ones that changed spelled out, the equal ones in one sentence. */
function countLines(report: CompareReport | undefined): string[] {
  if (!report) return [];
  const shown = (r: CountRow, side: 'old' | 'new') => {
    const s = r.comparison![side];
    return s.constant ? String(s.value) : s.values.join('/');
  };
  const changed = report.counts.filter((r) => r.comparison && r.comparison.verdict !== 'EQUAL');
  const equal = report.counts.filter((r) => r.comparison?.verdict === 'EQUAL');
  const out: string[] = [];
  if (changed.length > 0) {
    out.push('Exact counts that changed (base -> series):');
    for (const r of changed) {
      out.push(...wrap(`${r.pair.new.point}: ${countLabels[r.name]} ${shown(r, 'old')} -> ${shown(r, 'new')}${r.comparison!.verdict === 'INCONSISTENT' ? ' (varies between boots)' : ''}`, mailWidth, '  '));
    }
  }
  if (equal.length > 0) {
    const names = [...new Set(equal.map((r) => `${countLabels[r.name]} (${shown(r, 'old')})`))];
    out.push(...wrap(`Exact counts equal on both sides: ${names.join(', ')}.`));
  }
  if (report.unmeasured.length > 0) out.push(...wrap(`Not measured in this setup: ${report.unmeasured.map((n) => countLabels[n]).join(', ')}.`));
  return out;
}

/** Every trial that did not end ok, with its stderr (or console) tail: a crash is a finding. */
function failureLines(input: ReviewInput): string[] {
  const failed = input.observations.filter((o) => !o.warmup && o.outcome !== 'ok');
  if (failed.length === 0) return ['Failures: none; every boot ended ok.'];
  const out = [`Failures (${failed.length}):`];
  for (const o of failed) {
    const side = o.variant.name === input.seriesVariant ? 'series' : input.base.name;
    out.push(...wrap(`${side}, ${o.point}, run ${o.rep + 1}: ${o.outcome}${o.error ? `: ${o.error.message}` : ''}`, mailWidth, '  '));
    const tail = o.error?.stderrTail ?? o.error?.consoleTail;
    if (tail) out.push(...clipLines(tail.trimEnd().split('\n').slice(-8), '    | '));
  }
  return out;
}

function setupLines(input: ReviewInput): string[] {
  const facts = runFacts(input.observations);
  const out: string[] = [];
  for (const h of facts.hosts) {
    out.push(...wrap(`Host: ${h.hostname}, ${h.cpus} x ${h.cpuModel}, ${(h.memKiB / 1024 / 1024).toFixed(0)} GiB, Linux ${h.kernel} (${h.arch})`));
  }
  // The base first, as in the tables.
  const variants = [...facts.variants].sort((a, b) => Number(a.name === input.seriesVariant) - Number(b.name === input.seriesVariant));
  for (const v of variants) {
    const which = v.name === input.seriesVariant ? 'series' : v.name;
    out.push(...wrap(`QEMU ${which}: ${v.qemuVersion}, build ${v.buildKey}${v.series.length > 0 ? `, series ${v.series.join(' + ')}` : ''}`));
  }
  for (const g of facts.guestAssets) out.push(...wrap(`Guest: ${g.kernelPackage} ${g.kernelVersion}, busybox ${g.busyboxVersion}`));
  return out;
}
