import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { compareTimes, type CompareOptions, type Step } from '../analyze/index.js';
import { caseVariants } from '../case/case-variants.js';
import { parseCase } from '../case/load.js';
import { byCasePointVariant, groupTrials } from '../compare/groups.js';
import { metricValues } from '../compare/samples.js';
import { EmuflockError } from '../core/errors.js';
import { openRun } from '../journal/opened-run.js';
import type { Observation } from '../record/observation.js';
import { sourceName, type Finding, type SideBySide } from './findings.js';
import { pairKey, writeHistory, type HistoryFile } from './history-file.js';
import { measureRun, type MeasureOptions } from './measure-history.js';
import { onePointCaseText } from './one-point-case.js';
import { seriesTakenBy } from '../variants/resolve.js';
import type { Trend } from './trend.js';

/**
 * Each pair of neighbouring sources with a step between them is booted again side by side: one
 * run of a case whose variants are the history case's, each built once from either source
 * (`before-NAME`, `after-NAME`), interleaved. Sources measured at different times differ by the
 * host's load as well as by QEMU (on a loaded host, two commits that differ in a README, measured
 * a minute apart, once read 5.76 s against 9.31 s: ×1.51, p 4e-4); booted alternately, both see
 * the same host (×0.96 side by side).
 */
export async function checkSteps(dir: string, history: HistoryFile, findings: readonly Finding[], opts: Omit<MeasureOptions, 'again'>): Promise<void> {
  const pairs = new Map<string, Step>();
  // Blips are no steps; candidates get their own run with more trials (decide-candidates.ts).
  for (const f of findings) for (const s of f.result.steps) if (s.kind === 'step' || s.kind === 'undone') pairs.set(pairKey(history, s.from, s.at), s);
  for (const [pair, step] of pairs) {
    if (history.checks?.[pair]) continue;
    const text = await sideBySideCaseText(history, step.from, step.at, opts.variantsFile);
    if (!text) continue;
    opts.log(`step between ${sourceName(history.sources[step.from]!)} and ${sourceName(history.sources[step.at]!)}: booting both sides, alternately, in one run`);
    await bootSideBySide(dir, history, pair, text, 'side-by-side', opts);
  }
}

/**
 * One side-by-side run under checks/<key>/ (resumed when an earlier one was interrupted),
 * recorded in history.json as `checks[key]`; a side that does not build is recorded as failed.
 */
export async function bootSideBySide(dir: string, history: HistoryFile, key: string, text: string, kind: string, opts: Omit<MeasureOptions, 'again'>): Promise<void> {
  const root = join(dir, 'checks', key.replace(/[^A-Za-z0-9.+_=-]/g, '_'));
  await mkdir(root, { recursive: true });
  const file = join(root, `${history.case.name}-${kind}.yaml`);
  await writeFile(file, text);
  history.checks ??= {};
  try {
    const runDir = await measureRun(root, parseCase(text, file), opts);
    history.checks[key] = { status: 'measured', runDir: relative(dir, runDir) };
  } catch (e) {
    if (!(e instanceof EmuflockError && e.kind === 'build')) throw e;
    history.checks[key] = { status: 'failed', reason: e.message.split('\n')[0]! };
  }
  await writeHistory(dir, history);
}

/**
 * The history's case with each built variant twice, once from either source; undefined when it
 * has only `system`. `only` cuts it to one variant and one point (a candidate's decide run).
 */
export async function sideBySideCaseText(
  history: HistoryFile,
  from: number,
  at: number,
  variantsFile: string | undefined,
  only?: { variant: string; point: string },
): Promise<string | undefined> {
  const c = parseCase(history.case.text, history.case.file, history.case.sha256);
  const defs = (await caseVariants([c], variantsFile)).filter((d) => d !== 'system' && (!only || d.name === only.variant));
  const sides = [['before', history.sources[from]!], ['after', history.sources[at]!]] as const;
  // Each side takes the series its release needs, as the source's own run did (variants/resolve.ts).
  const variants = [];
  for (const d of defs) {
    if (d === 'system') continue;
    for (const [side, s] of sides) variants.push({ name: sideName(side, d.name), source: s.spec, series: await seriesTakenBy(d.series, s.qemuVersion), configure: d.configure });
  }
  if (variants.length === 0) return undefined;
  const doc = parseDocument(only ? onePointCaseText(history, only.point) : history.case.text);
  doc.set('variants', variants);
  // Published figures name the case's own variants, which this case renames.
  doc.delete('reference');
  return doc.toString();
}

const sideName = (side: 'before' | 'after', variant: string) => `${side}-${variant}`;

/** Every check run's trials, by pair. */
export async function loadChecks(dir: string, history: HistoryFile, warn: (line: string) => void): Promise<Map<string, Observation[]>> {
  const out = new Map<string, Observation[]>();
  for (const [pair, rec] of Object.entries(history.checks ?? {})) {
    if (rec.status === 'measured' && rec.runDir) out.set(pair, (await openRun(join(dir, rec.runDir), { warn })).observations);
  }
  return out;
}

/** The side-by-side comparison of a step's two sources for one trend, if they were booted so. */
export function sideBySide(observations: readonly Observation[] | undefined, trend: Trend, opts: CompareOptions): SideBySide | undefined {
  if (!observations) return undefined;
  const groups = groupTrials(observations, byCasePointVariant, trend.metric);
  const values = (side: 'before' | 'after') => {
    const g = groups.find((x) => x.point === trend.point && x.variant === sideName(side, trend.variant));
    return g ? metricValues(g.used, trend.metric) : [];
  };
  const [before, after] = [values('before'), values('after')];
  return before.length > 0 && after.length > 0 ? { before, after, comparison: compareTimes(before, after, opts) } : undefined;
}
