import { stat } from 'node:fs/promises';
import { printable } from '../core/printable.js';
import { displayPath } from '../core/display-path.js';
import { join, resolve } from 'node:path';
import { median, summarize } from '../analyze/index.js';
import { loadCase, parseCase } from '../case/load.js';
import { casePoints } from '../case/matrix.js';
import type { LoadedCase } from '../case/schema.js';
import { run } from '../core/exec.js';
import { EmuflockError, inputError } from '../core/errors.js';
import { userQemuSource } from '../variants/user-source.js';
import { requireRevision } from '../variants/revision.js';
import { ensureGuestAssets } from '../guest/assets.js';
import { newRunId } from '../journal/run-dir.js';
import { lockRunDir } from '../journal/run-lock.js';
import { makeExclusiveDir, writeAtomic } from '../core/files.js';
import { describeHost } from '../measure/host.js';
import { raiseOpenFileLimit } from '../limits/open-file-limit.js';
import { calibrate, confirmCulprit, nextStepAction, type Calibration, type StepSamples } from './classify.js';
import { bisectHead, commitSubject, endBisect, parentOf, prepareBisectWorktree, runBisect, startBisect } from './git-bisect.js';
import { measureCommit, type MeasureContext } from './measure-commit.js';
import { bisectReport } from './report.js';
import { readState, writeState, type BisectState, type CommitRecord } from './state.js';
import type { PhaseName } from '../record/phases.js';

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
  /**
   * The ends' times measured already (a history's runs of both sides): the bisect is
   * calibrated with them instead of measuring both ends again. They must still compare SLOWER.
   */
  calibration?: { good: number[]; bad: number[]; from: string };
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
  // git runs each step in the bisect's work tree: a folder given relative to here would not be found there.
  const absolute = resolve(dir);
  return continueBisect(absolute, await readState(absolute), stepCommand, log);
}

/** The repository exists, is git, and holds a QEMU tree at each revision. */
async function checkQemuRepo(repo: string, revs: readonly (readonly [string, string])[], what: string): Promise<void> {
  const st = await stat(repo).catch(() => undefined);
  if (!st?.isDirectory()) throw inputError(`${what} ${printable(repo)}: no such folder (a QEMU git repository)`);
  for (const [rev, sha] of revs) {
    const missing = await firstMissing(repo, sha, qemuTreeFiles);
    if (missing) throw inputError(`${what} ${printable(repo)}: not a QEMU repository at ${printable(rev)} (no ${missing}); bisect builds QEMU at each commit`);
  }
}

async function createBisect(opts: BisectOptions): Promise<{ dir: string; state: BisectState }> {
  const st = await stat(opts.repo).catch(() => undefined);
  if (!st?.isDirectory()) throw inputError(`--repo ${printable(opts.repo)}: no such folder (a QEMU git repository)`);
  const resolve = (rev: string) => requireRevision(opts.repo, rev, `--repo ${printable(opts.repo)}`);
  const [good, bad] = [await resolve(opts.good), await resolve(opts.bad)];
  const isAncestor = await run('git', ['-C', opts.repo, 'merge-base', '--is-ancestor', good, bad]).then(() => true, () => false);
  if (!isAncestor) throw inputError(`--good ${opts.good} is not an ancestor of --bad ${opts.bad}`);
  await checkQemuRepo(opts.repo, [[opts.bad, bad], [opts.good, good]], '--repo');
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
    ...(opts.calibration ? { calibration: { good: opts.calibration.good, bad: opts.calibration.bad, midpoint: calibrate(opts.calibration.good, opts.calibration.bad).midpoint } } : {}),
  };
  await writeState(dir, state);
  if (opts.calibration) {
    await record(dir, state, good, 'fast', opts.calibration.good, { midpoint: state.calibration!.midpoint });
    await record(dir, state, bad, 'slow', opts.calibration.bad, { midpoint: state.calibration!.midpoint });
    const c = calibrationOf(state).comparison;
    opts.log(`calibrated from ${opts.calibration.from}: good ${seconds(c.medianOld)}, bad ${seconds(c.medianNew)} (x${c.ratio.toFixed(2)}); a commit is slow above ${seconds(state.calibration!.midpoint)}`);
  }
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

/**
 * One bisect per directory: two would drive git bisect in the same worktree and number their
 * trials from the same journal. The steps git runs are this process's children and take no lock.
 */
async function continueBisect(dir: string, state: BisectState, stepCommand: string[], log: (line: string) => void): Promise<{ dir: string; state: BisectState }> {
  const unlock = await lockRunDir(dir);
  try {
    return await bisectLocked(dir, state, stepCommand, log);
  } finally {
    await unlock();
  }
}

async function bisectLocked(dir: string, state: BisectState, stepCommand: string[], log: (line: string) => void): Promise<{ dir: string; state: BisectState }> {
  // bisect.json names the repository: a resume checks it as a fresh bisect did, before any build.
  await checkQemuRepo(state.repo, [[state.badRev, state.bad], [state.goodRev, state.good]], `${displayPath(dir)}: bisect.json: repo`);
  const ctx = await measureContext(dir, state, log);
  if (!state.calibration) {
    log(`calibrating: ${state.runs.calibration} runs each of good ${state.good.slice(0, 12)} and bad ${state.bad.slice(0, 12)}`);
    const good = await requireMeasured(ctx, state, state.good, state.runs.calibration);
    const bad = await requireMeasured(ctx, state, state.bad, state.runs.calibration);
    const cal = calibrate(good, bad);
    state.calibration = { good, bad, midpoint: cal.midpoint };
    await record(dir, state, state.good, 'fast', good, { midpoint: cal.midpoint });
    await record(dir, state, state.bad, 'slow', bad, { midpoint: cal.midpoint });
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
  const samples: StepSamples = { commit: [], beside: { good: [], bad: [] } };
  for (;;) {
    const action = nextStepAction(samples, cal, state.runs);
    if (action.kind === 'skip') return skipStep(dir, state, sha, samples, action.reason, log);
    if (action.kind === 'decided') {
      await record(dir, state, sha, action.verdict, samples.commit, { midpoint: action.midpoint, ...(action.against === 'beside' ? { beside: samples.beside } : {}) });
      const c = summarize(samples.commit);
      const against = action.against === 'beside' ? `, against the endpoints measured beside it: midpoint ${seconds(action.midpoint)}` : '';
      log(`${sha.slice(0, 12)}: ${action.verdict} (median ${seconds(c.median)}, 95% CI ${seconds(c.medianCI.lower)}-${seconds(c.medianCI.upper)}, n=${samples.commit.length}${against})`);
      return exitCodeOf(action.verdict);
    }
    if (action.endpoints && samples.beside.good.length === 0 && !state.runs.paired) {
      log(`${sha.slice(0, 12)}: straddles the calibrated midpoint ${seconds(cal.midpoint)}; measuring good and bad beside it, in case the host changed`);
    }
    // The commit first: one that does not build costs no runs of the ends.
    const m = await measureCommit(ctx, sha, action.commitRuns);
    if (!m.ok) return skipStep(dir, state, sha, samples, m.reason, log);
    samples.commit.push(...m.values);
    if (!action.endpoints) continue;
    for (const end of ['good', 'bad'] as const) {
      const endSha = end === 'good' ? state.good : state.bad;
      const e = await measureCommit(ctx, endSha, 1);
      // An endpoint that no longer boots is the bisect's failure, not this commit's.
      if (!e.ok) throw new EmuflockError('failure', `the ${end} end ${endSha.slice(0, 12)}, measured beside ${sha.slice(0, 12)}, ${e.reason}`);
      samples.beside[end].push(...e.values);
    }
  }
}

async function skipStep(dir: string, state: BisectState, sha: string, samples: StepSamples, reason: string, log: (line: string) => void): Promise<number> {
  await record(dir, state, sha, 'skip', samples.commit, { reason });
  log(`${sha.slice(0, 12)}: skipped, ${reason}`);
  return 125;
}

/**
 * Fresh runs of the culprit and its parent, interleaved in pairs so that a host that changes
 * while they run slows both alike; the ratio of their medians confirms the culprit.
 */
async function verifyCulprit(ctx: MeasureContext, state: BisectState, culprit: string, log: (line: string) => void): Promise<NonNullable<BisectState['culprit']>> {
  const parent = await parentOf(state.repo, culprit);
  const cal = calibrationOf(state);
  const subject = await commitSubject(state.repo, culprit);
  log(`verifying ${culprit.slice(0, 12)} "${subject}" against its parent: ${state.runs.verify} more runs each, interleaved`);
  const fresh: Record<string, number[]> = { [culprit]: [], [parent]: [] };
  for (let i = 0; i < state.runs.verify; i++) {
    for (const sha of [culprit, parent]) {
      fresh[sha]!.push(...(await requireMeasured(ctx, state, sha, 1)));
    }
  }
  for (const sha of [culprit, parent]) {
    const known = state.commits[sha];
    await record(ctx.dir, state, sha, known?.status ?? (sha === culprit ? 'slow' : 'fast'), [...(known?.values ?? []), ...fresh[sha]!], { ...(known?.midpoint !== undefined ? { midpoint: known.midpoint } : {}), ...(known?.beside ? { beside: known.beside } : {}) });
  }
  const v = confirmCulprit(fresh[culprit]!, fresh[parent]!, cal);
  const evidence =
    `good ${seconds(median(cal.good))}, bad ${seconds(median(cal.bad))} (x${(median(cal.bad) / median(cal.good)).toFixed(2)}); ` +
    `in ${state.runs.verify} interleaved runs each, ${culprit.slice(0, 12)} ${seconds(median(fresh[culprit]!))} against its parent ${parent.slice(0, 12)} ${seconds(median(fresh[parent]!))}: ` +
    `x${v.ratio.toFixed(2)}, ${v.confirmed ? 'at least' : 'under'} the x${v.needed.toFixed(2)} that is more than half of the regression`;
  return { sha: culprit, subject, confirmed: v.confirmed, evidence };
}

async function requireMeasured(ctx: MeasureContext, state: BisectState, sha: string, runs: number): Promise<number[]> {
  const m = await measureCommit(ctx, sha, runs);
  // An endpoint that does not build is a build failure (exit 4), as for `emuflock build`.
  if (!m.ok) throw new EmuflockError(m.unbuilt ? 'build' : 'failure', `${sha.slice(0, 12)} (${await commitSubject(state.repo, sha)}) ${m.reason}`);
  return m.values;
}

async function record(dir: string, state: BisectState, sha: string, status: CommitRecord['status'], values: number[], extra: Pick<CommitRecord, 'reason' | 'midpoint' | 'beside'> = {}): Promise<void> {
  const fresh = await readState(dir).catch(() => state);
  const ci = values.length > 0 ? summarize(values) : undefined;
  fresh.commits[sha] = {
    sha,
    subject: await commitSubject(state.repo, sha),
    status,
    values,
    visit: fresh.commits[sha]?.visit ?? Object.keys(fresh.commits).length,
    ...(ci ? { median: ci.median, lower: ci.medianCI.lower, upper: ci.medianCI.upper } : {}),
    ...extra,
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
