import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Step } from '../analyze/index.js';
import { bisect, resumeBisect } from '../bisect/driver.js';
import { readState } from '../bisect/state.js';
import { run } from '../core/exec.js';
import { displayPath } from '../core/yaml-input.js';
import { EmuflockError } from '../core/errors.js';
import type { PhaseName } from '../record/phases.js';
import { bisectKey } from './bisect-key.js';
import { sourceName, standingSteps, trendName, type Finding, type SideBySide } from './findings.js';
import { writeHistory, type HistoryFile } from './history-file.js';
import { onePointCaseText } from './one-point-case.js';

export interface BisectStepsOptions {
  /** The metric bisected: a step of another phase is bisected only when this one has none there. */
  metric: PhaseName;
  /** emuflock's cli.js, for the step command git bisect runs. */
  cliPath: string;
  log: (line: string) => void;
}

/**
 * Bisects every SLOWER step (held or undone later) whose two sides are commits of one
 * repository, once per pair of commits: `emuflock bisect` between them, calibrated with the
 * times the history measured on both sides, at the step's point, on its phase (the bisect
 * metric first, when it stepped there too). A step between neighbouring commits needs none:
 * the later commit is the culprit, once the side-by-side run confirmed the step. Variants with patch series are not bisected: a bisect
 * builds each commit as it is. A bisect that fails is recorded with its reason, not retried.
 */
export async function bisectSteps(dir: string, history: HistoryFile, findings: readonly Finding[], opts: BisectStepsOptions): Promise<void> {
  const byPair = new Map<string, { finding: Finding; step: Step; check: SideBySide | undefined }>();
  const ordered = [...findings].sort((a, b) => Number(b.trend.metric === opts.metric) - Number(a.trend.metric === opts.metric));
  for (const finding of ordered) {
    if (finding.trend.series.length > 0) continue;
    for (const { step, index } of standingSteps(finding)) {
      const [from, at] = [history.sources[step.from]!, history.sources[step.at]!];
      if (step.verdict !== 'SLOWER' || !from.git || !at.git || from.git.repo !== at.git.repo) continue;
      const pair = `${from.id}..${at.id}`;
      if (!byPair.has(pair)) byPair.set(pair, { finding, step, check: finding.checks[index] });
    }
  }
  history.bisects ??= {};
  for (const { finding, step, check } of byPair.values()) {
    const key = bisectKey(history, finding.trend, step);
    if (Object.keys(history.bisects).some((k) => k.startsWith(`${history.sources[step.from]!.id}..${history.sources[step.at]!.id} `))) continue;
    const [from, at] = [history.sources[step.from]!.git!, history.sources[step.at]!.git!];
    const what = `${sourceName(history.sources[step.from]!)}..${sourceName(history.sources[step.at]!)}, ${trendName(finding.trend)}`;
    const parent = (await run('git', ['-C', at.repo, 'rev-parse', `${at.commit}^`]).catch(() => '')).trim();
    // Confirmed side by side, a step between a commit and its parent needs no bisect.
    if (parent === from.commit && check) {
      opts.log(`bisect ${what}: the two commits are neighbours; ${at.commit.slice(0, 12)} is the first slow commit`);
      history.bisects[key] = { dir: '-', culprit: at.commit, subject: at.subject, confirmed: true };
      await writeHistory(dir, history);
      continue;
    }
    opts.log(`bisect ${what}: between ${from.commit.slice(0, 12)} and ${at.commit.slice(0, 12)}`);
    const root = join(dir, 'bisects');
    await mkdir(root, { recursive: true });
    const caseFile = join(root, `${history.case.name}-${finding.trend.point.replace(/[^A-Za-z0-9=.+-]/g, '_')}.yaml`);
    const caseText = onePointCaseText(history, finding.trend.point);
    await writeFile(caseFile, caseText);
    // An interrupted bisect of this step (Ctrl-C, a crash) is continued where it stopped: its
    // builds and measured steps stay, and it keeps its own calibration.
    const earlier = await unfinishedBisect(root, { good: from.commit, bad: at.commit, metric: finding.trend.metric, caseText });
    if (earlier) opts.log(`bisect ${what}: continuing the bisect interrupted in ${displayPath(earlier)}`);
    try {
      const r = earlier ? await resumeBisect(earlier, [process.execPath, opts.cliPath, 'bisect-step'], opts.log) : await bisect({
        repo: at.repo,
        good: from.commit,
        bad: at.commit,
        caseFile,
        metric: finding.trend.metric,
        runs: { calibration: 5, step: 3, max: 7, verify: 3 },
        resultsRoot: root,
        stepCommand: [process.execPath, opts.cliPath, 'bisect-step'],
        log: opts.log,
        // The side-by-side run's times when there is one: both ends under the same host.
        calibration: check
          ? { good: check.before, bad: check.after, from: "the history's side-by-side run" }
          : { good: finding.trend.levels[step.from]!, bad: finding.trend.levels[step.at]!, from: "the history's runs" },
      });
      const c = r.state.culprit!;
      history.bisects[key] = { dir: relative(dir, r.dir), culprit: c.sha, subject: c.subject, confirmed: c.confirmed };
      opts.log(`bisect ${what}: first slow commit ${c.sha.slice(0, 12)} ${c.subject} (${c.confirmed ? 'confirmed' : 'NOT confirmed'})`);
    } catch (e) {
      if (!(e instanceof EmuflockError)) throw e;
      history.bisects[key] = { dir: relative(dir, root), error: e.message.split('\n')[0]! };
      opts.log(`bisect ${what}: ${e.message.split('\n')[0]}`);
    }
    await writeHistory(dir, history);
  }
}

/** A bisect folder under `root` for these ends, metric and case that has not named its culprit yet. */
async function unfinishedBisect(root: string, want: { good: string; bad: string; metric: PhaseName; caseText: string }): Promise<string | undefined> {
  for (const entry of (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).sort((a, b) => b.name.localeCompare(a.name))) {
    const dir = join(root, entry.name);
    const state = await readState(dir).catch(() => undefined);
    if (state && !state.culprit && state.good === want.good && state.bad === want.bad && state.metric === want.metric && state.caseText === want.caseText) return dir;
  }
  return undefined;
}
