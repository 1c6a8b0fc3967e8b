import { join } from 'node:path';
import { median } from '../analyze/index.js';
import { loadCase, parseCase } from '../case/load.js';
import { casePoints } from '../case/matrix.js';
import type { LoadedCase } from '../case/schema.js';
import { run } from '../core/exec.js';
import { EmuflockError, inputError } from '../core/errors.js';
import { userQemuSource } from '../variants/user-source.js';
import { ensureGuestAssets } from '../guest/assets.js';
import type { PhaseName } from '../journal/observation.js';
import { newRunId } from '../journal/run-dir.js';
import { makeExclusiveDir, writeAtomic } from '../core/files.js';
import { describeHost } from '../measure/host.js';
import { raiseOpenFileLimit } from '../limits/open-file-limit.js';
import { calibrate, classifyCommit, type Calibration } from './classify.js';
import { bisectHead, commitSubject, endBisect, parentOf, prepareBisectWorktree, runBisect, startBisect } from './git-bisect.js';
import { measureCommit, type MeasureContext } from './measure-commit.js';
import { bisectReport } from './report.js';
import { readState, writeState, type BisectState, type CommitRecord } from './state.js';

export interface BisectOptions {
  repo: string;
  good: string;
  bad: string;
  caseFile: string;
  metric: PhaseName;
  runs: BisectState['runs'];
  resultsRoot: string;
  /** The command git bisect runs per step: `node <cli.js> bisect-step`. */
  stepCommand: string[];
  log: (line: string) => void;
}

/**
 * Finds the first slow commit between a good and a bad one: calibrate on both ends, let
 * `git bisect run` walk the history (each step built through the build cache and measured),
 * then confirm the culprit against its parent with fresh runs.
 */
export async function bisect(opts: BisectOptions): Promise<{ dir: string; state: BisectState }> {
  const { dir, state } = await createBisect(opts);
  return continueBisect(dir, state, opts.stepCommand, opts.log);
}

export async function resumeBisect(dir: string, stepCommand: string[], log: (line: string) => void): Promise<{ dir: string; state: BisectState }> {
  return continueBisect(dir, await readState(dir), stepCommand, log);
}

async function createBisect(opts: BisectOptions): Promise<{ dir: string; state: BisectState }> {
  const resolve = async (rev: string) =>
    (await run('git', ['-C', opts.repo, 'rev-parse', '--verify', `${rev}^{commit}`], { kind: 'input', what: `--repo ${opts.repo}: no revision "${rev}"` })).trim();
  const [good, bad] = [await resolve(opts.good), await resolve(opts.bad)];
  const isAncestor = await run('git', ['-C', opts.repo, 'merge-base', '--is-ancestor', good, bad]).then(() => true, () => false);
  if (!isAncestor) throw inputError(`--good ${opts.good} is not an ancestor of --bad ${opts.bad}`);
  for (const [rev, sha] of [[opts.bad, bad], [opts.good, good]] as const) {
    const missing = await firstMissing(opts.repo, sha, qemuTreeFiles);
    if (missing) throw inputError(`--repo ${opts.repo}: not a QEMU repository at ${rev} (no ${missing}); bisect builds QEMU at each commit`);
  }
  const bisectCase = await loadCase(opts.caseFile);
  const points = casePoints(bisectCase);
  if (points.length !== 1) {
    throw inputError(`${bisectCase.file}: a bisect case measures one point; this one sweeps ${points.length} (${points.map((p) => p.point).join('; ')})`);
  }
  const id = newRunId([`bisect-${bisectCase.name}`]);
  const dir = await makeExclusiveDir(opts.resultsRoot, id);
  const state: BisectState = {
    version: 1,
    repo: opts.repo,
    good,
    bad,
    goodRev: opts.good,
    badRev: opts.bad,
    caseName: bisectCase.name,
    caseText: bisectCase.text,
    metric: opts.metric,
    runs: opts.runs,
    commits: {},
  };
  await writeState(dir, state);
  return { dir, state };
}

/** Files every QEMU tree since 2003 holds at its top: what `configure` and the build need first. */
const qemuTreeFiles = ['configure', 'qemu-options.hx'];

async function firstMissing(repo: string, sha: string, files: string[]): Promise<string | undefined> {
  for (const f of files) {
    if (!(await run('git', ['-C', repo, 'cat-file', '-e', `${sha}:${f}`]).then(() => true, () => false))) return f;
  }
  return undefined;
}

async function continueBisect(dir: string, state: BisectState, stepCommand: string[], log: (line: string) => void): Promise<{ dir: string; state: BisectState }> {
  const ctx = await measureContext(dir, state, log);
  if (!state.calibration) {
    log(`calibrating: ${state.runs.calibration} runs each of good ${state.good.slice(0, 12)} and bad ${state.bad.slice(0, 12)}`);
    const good = await requireMeasured(ctx, state, state.good, state.runs.calibration);
    const bad = await requireMeasured(ctx, state, state.bad, state.runs.calibration);
    const cal = calibrate(good, bad);
    state.calibration = { good, bad, midpoint: cal.midpoint };
    await record(dir, state, state.good, 'fast', good, cal);
    await record(dir, state, state.bad, 'slow', bad, cal);
    log(`calibrated: good ${seconds(cal.comparison.medianOld)}, bad ${seconds(cal.comparison.medianNew)} (x${cal.comparison.ratio.toFixed(2)}); a commit is slow above ${seconds(cal.midpoint)}`);
  }
  const clone = (await userQemuSource(`${state.repo}@${state.bad}`, log)).repo;
  const worktree = join(dir, 'worktree');
  await prepareBisectWorktree(clone, worktree, state.bad).catch(() => {});
  await startBisect(worktree, state.good, state.bad);
  const { culprit, output } = await runBisect(worktree, [...stepCommand, dir], log);
  await endBisect(worktree);
  const final = await readState(dir);
  if (!culprit) {
    throw new EmuflockError('failure', `git bisect found no first slow commit:\n${output.trim().split('\n').slice(-8).join('\n')}`);
  }
  final.culprit = await verifyCulprit(ctx, final, culprit, log);
  await writeState(dir, final);
  await writeAtomic(join(dir, 'bisect.md'), bisectReport(final));
  return { dir, state: final };
}

/** One `git bisect run` step: measure BISECT_HEAD until it is clearly fast or slow. Returns git's exit code. */
export async function bisectStep(dir: string, log: (line: string) => void): Promise<number> {
  const state = await readState(dir);
  const sha = await bisectHead(join(dir, 'worktree'));
  const known = state.commits[sha];
  if (known) return exitCodeOf(known.status);
  const ctx = await measureContext(dir, state, log);
  const cal = calibrationOf(state);
  const values: number[] = [];
  let runs = state.runs.step;
  for (;;) {
    const m = await measureCommit(ctx, sha, runs, values.length);
    if (!m.ok) {
      await record(dir, state, sha, 'skip', values, cal, m.reason);
      log(`${sha.slice(0, 12)}: skipped, ${m.reason}`);
      return 125;
    }
    values.push(...m.values);
    const atMax = values.length >= state.runs.max;
    const c = classifyCommit(values, cal, atMax);
    if (c.verdict !== 'undecided') {
      await record(dir, state, sha, c.verdict, values, cal);
      log(`${sha.slice(0, 12)}: ${c.verdict} (median ${seconds(c.median)}, 95% CI ${seconds(c.lower)}-${seconds(c.upper)}, n=${values.length})`);
      return exitCodeOf(c.verdict);
    }
    runs = Math.min(2, state.runs.max - values.length);
  }
}

async function verifyCulprit(ctx: MeasureContext, state: BisectState, culprit: string, log: (line: string) => void): Promise<NonNullable<BisectState['culprit']>> {
  const parent = await parentOf(state.repo, culprit);
  const cal = calibrationOf(state);
  const subject = await commitSubject(state.repo, culprit);
  log(`verifying ${culprit.slice(0, 12)} "${subject}" against its parent: ${state.runs.verify} more runs each`);
  const lines: string[] = [];
  let confirmed = true;
  for (const [sha, expected] of [[culprit, 'slow'], [parent, 'fast']] as const) {
    const before = state.commits[sha]?.values ?? [];
    const more = await requireMeasured(ctx, state, sha, state.runs.verify, before.length);
    const all = [...before, ...more];
    const c = classifyCommit(all, cal, true);
    await record(ctx.dir, state, sha, c.verdict === 'slow' ? 'slow' : 'fast', all, cal);
    confirmed &&= c.verdict === expected;
    lines.push(`${sha.slice(0, 12)} ${c.verdict} (expected ${expected}): median ${seconds(c.median)}, 95% CI ${seconds(c.lower)}-${seconds(c.upper)}, n=${all.length}`);
  }
  const evidence = `good ${seconds(median(cal.good))}, bad ${seconds(median(cal.bad))}, midpoint ${seconds(cal.midpoint)}; ${lines.join('; ')}`;
  return { sha: culprit, subject, confirmed, evidence };
}

async function requireMeasured(ctx: MeasureContext, state: BisectState, sha: string, runs: number, firstRep = 0): Promise<number[]> {
  const m = await measureCommit(ctx, sha, runs, firstRep);
  if (!m.ok) throw new EmuflockError('failure', `${sha.slice(0, 12)} (${await commitSubject(state.repo, sha)}) ${m.reason}`);
  return m.values;
}

async function record(dir: string, state: BisectState, sha: string, status: CommitRecord['status'], values: number[], cal: Calibration, reason?: string): Promise<void> {
  const fresh = await readState(dir).catch(() => state);
  const c = values.length > 0 ? classifyCommit(values, cal, true) : undefined;
  fresh.commits[sha] = {
    sha,
    subject: await commitSubject(state.repo, sha),
    status,
    values,
    visit: fresh.commits[sha]?.visit ?? Object.keys(fresh.commits).length,
    ...(c ? { median: c.median, lower: c.lower, upper: c.upper } : {}),
    ...(reason ? { reason } : {}),
  };
  Object.assign(state, { commits: fresh.commits, calibration: state.calibration ?? fresh.calibration });
  await writeState(dir, state);
}

function calibrationOf(state: BisectState): Calibration {
  const c = state.calibration!;
  return { good: c.good, bad: c.bad, midpoint: c.midpoint, comparison: calibrate(c.good, c.bad).comparison };
}

async function measureContext(dir: string, state: BisectState, log: (line: string) => void): Promise<MeasureContext> {
  await raiseOpenFileLimit();
  const bisectCase: LoadedCase = parseCase(state.caseText, `${state.caseName}.yaml`);
  return {
    dir,
    repo: state.repo,
    bisectCase,
    metric: state.metric,
    trial: { runId: dir.split('/').pop()!, assets: await ensureGuestAssets(bisectCase.spec.arch, log), host: await describeHost() },
    log,
  };
}

function exitCodeOf(status: CommitRecord['status']): number {
  return status === 'fast' ? 0 : status === 'slow' ? 1 : 125;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
