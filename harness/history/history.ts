import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadCase } from '../case/load.js';
import { inputError } from '../core/errors.js';
import { displayPath } from '../core/yaml-input.js';
import { lockRunDir } from '../journal/run-lock.js';
import type { AdaptiveRule } from '../run/schedule/adaptive.js';
import type { Shard } from '../case/matrix.js';
import { checkForStep, findChanges, type Finding } from './findings.js';
import { decideKey, pairKey, readHistory, readHistoryIfAny, writeHistory, type HistoryFile } from './history-file.js';
import { checkSteps, loadChecks, sideBySide } from './check-steps.js';
import { checkDecideUpTo, decideCandidates } from './decide-candidates.js';
import { writeHistoryReport } from './history-report.js';
import { resolveHistorySources, type SourceRequest } from './history-sources.js';
import { measureHistory } from './measure-history.js';
import { loadTrends } from './trend.js';

/** What decides a step: compareTimes' threshold and alpha. */
export type Stats = Pick<AdaptiveRule, 'threshold' | 'alpha'>;

export interface HistoryOptions {
  /** A new history, or more sources for one: the case and the sources, in order. */
  caseFile?: string;
  request?: SourceRequest;
  /** Its folder: <resultsRoot>/history-<name> (default name: the case's). */
  name?: string;
  resultsRoot: string;
  /** An existing history to continue with the sources it lists. */
  resumeDir?: string;
  /** How runs repeat (adaptive repetitions) and how steps are decided. */
  adaptive: AdaptiveRule;
  variantsFile?: string;
  /**
   * Measure only the sources of this shard (the I-th of every N, in order), write history.json
   * and stop: no analysis, no check, no bisect. `emuflock merge-history` joins the shards, and
   * `history --resume` on the merged folder analyses it (a job per source on CI).
   */
  shard?: Shard;
  /** Measure again the sources passed over before (measure-history.ts). */
  retryFailed?: boolean;
  /** Trials a side, at most, to decide a candidate step side by side (decide-candidates.ts); 0: report candidates only. */
  decideUpTo: number;
  /** Bisect each step whose two sides are commits of one repository (bisect-steps.ts). */
  bisect?: (dir: string, history: HistoryFile, findings: Finding[]) => Promise<void>;
  log: (line: string) => void;
}

export interface HistoryResult {
  dir: string;
  history: HistoryFile;
  findings: Finding[];
  /** Absent for a shard: it writes no report. */
  reportDir?: string;
}

/** `emuflock history`: measure what is missing, find the steps, check them side by side, bisect them, write the report. */
export async function runHistory(opts: HistoryOptions): Promise<HistoryResult> {
  checkDecideUpTo(opts.decideUpTo, opts.adaptive.alpha);
  // Absolute: bisects run their steps from git's work tree, where a relative folder is not found.
  const dir = resolve(opts.resumeDir ?? join(opts.resultsRoot, `history-${safeName(opts.name ?? (await loadCase(opts.caseFile!)).name)}`));
  await mkdir(dir, { recursive: true });
  // One writer per history: two would measure the same new source twice.
  const unlock = await lockRunDir(dir);
  try {
    const history = await prepare(dir, opts);
    const again = ['emuflock', 'history', '--resume', displayPath(dir)];
    await measureHistory(dir, history, {
      adaptive: opts.adaptive,
      again,
      log: opts.log,
      ...(opts.retryFailed ? { retryFailed: true } : {}),
      ...(opts.variantsFile ? { variantsFile: opts.variantsFile } : {}),
      ...(opts.shard ? { shard: opts.shard } : {}),
    });
    if (opts.shard) return { dir, history, findings: [] };
    let findings = await analyzeHistory(dir, history, opts.adaptive, opts.log);
    const measure = { adaptive: opts.adaptive, log: opts.log, ...(opts.variantsFile ? { variantsFile: opts.variantsFile } : {}) };
    await checkSteps(dir, history, findings, measure);
    findings = await analyzeHistory(dir, history, opts.adaptive, opts.log);
    await decideCandidates(dir, history, findings, { ...measure, upTo: opts.decideUpTo });
    findings = await analyzeHistory(dir, history, opts.adaptive, opts.log);
    if (opts.bisect) {
      await opts.bisect(dir, history, findings);
      await writeHistory(dir, history);
      findings = await analyzeHistory(dir, history, opts.adaptive, opts.log);
    }
    const reportDir = await writeHistoryReport(dir, history, findings);
    return { dir, history, findings, reportDir };
  } finally {
    await unlock();
  }
}

/** The history as it will be measured: its file read (or made) and the sources named now in it. */
async function prepare(dir: string, opts: HistoryOptions): Promise<HistoryFile> {
  const existing = await readHistoryIfAny(dir);
  if (opts.resumeDir) {
    if (!existing) throw inputError(`${displayPath(dir)}: not a history directory (no history.json)`);
    return existing;
  }
  const c = await loadCase(opts.caseFile!);
  if (existing && existing.case.sha256 !== c.sha256) {
    throw inputError(
      `${displayPath(dir)}: this history measures ${existing.case.file} as it was (sha256 ${existing.case.sha256.slice(0, 12)}…); ${c.file} differs now, so its times would not compare: restore it, or start another history (--name)`,
    );
  }
  if (c.spec.variants.every((v) => v === 'system')) {
    throw inputError(`${c.file}: variants: a history builds the case's variants from each source, and this case has only system (the host's binary); name a built one, e.g. variants: [upstream]`);
  }
  const sources = await resolveHistorySources(opts.request!, opts.log);
  const history: HistoryFile = {
    version: 1,
    name: opts.name ?? c.name,
    case: { name: c.name, file: c.file, sha256: c.sha256, text: c.text },
    sources,
    // What was measured, checked and bisected stays, whatever the sources named this time.
    records: existing?.records ?? {},
    ...(existing?.checks ? { checks: existing.checks } : {}),
    ...(existing?.bisects ? { bisects: existing.bisects } : {}),
  };
  await writeHistory(dir, history);
  return history;
}

/** The trends of every measured source and the steps in them; sources not measured are passed over. */
export async function analyzeHistory(dir: string, history: HistoryFile, stats: Stats, warn: (line: string) => void): Promise<Finding[]> {
  const opts = { threshold: stats.threshold, alpha: stats.alpha };
  const findings = findChanges(await loadTrends(dir, history, warn), opts);
  const checks = await loadChecks(dir, history, warn);
  for (const f of findings) {
    f.checks = f.result.steps.map((s) => {
      const pair = pairKey(history, s.from, s.at);
      const more = sideBySide(checks.get(decideKey(pair, f.trend.variant, f.trend.point)), f.trend, opts);
      return checkForStep(s, sideBySide(checks.get(pair), f.trend, opts), more && { ...more, moreTrials: true });
    });
  }
  return findings;
}

/** `emuflock regressions DIR`: the history as it stands, nothing measured. */
export async function readHistoryFindings(dir: string, stats: Stats, warn: (line: string) => void): Promise<{ history: HistoryFile; findings: Finding[] }> {
  const history = await readHistory(dir);
  return { history, findings: await analyzeHistory(dir, history, stats, warn) };
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._+-]/g, '_').slice(0, 60);
}
