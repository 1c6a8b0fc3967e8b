import { EmuflockError } from '../core/errors.js';
import type { LoadedCase } from '../case/schema.js';
import { planTrials, type Trial } from '../case/matrix.js';
import { buildVariant } from '../variants/resolve.js';
import { userQemuSource } from '../variants/user-source.js';
import { appendObservation, journalBeforeAppend } from '../journal/journal.js';
import { journalPath } from '../journal/run-dir.js';
import { runTrial, type TrialContext } from '../run/trial/trial.js';
import type { Observation } from '../record/observation.js';
import type { PhaseName } from '../record/phases.js';

export type CommitMeasurement = { ok: true; values: number[] } | { ok: false; reason: string; unbuilt?: boolean };

export interface MeasureContext {
  dir: string;
  repo: string;
  bisectCase: LoadedCase;
  metric: PhaseName;
  trial: Omit<TrialContext, 'variant'>;
  log: (line: string) => void;
}

/** The case's one point: a bisect compares commits, not parameters. */
export function bisectTrialTemplate(c: LoadedCase): Trial {
  return planTrials([c]).trials.find((t) => !t.warmup)!;
}

/**
 * Builds one commit through the build cache and boots the case `runs` times, appending every
 * Observation to the bisect's journal. A commit that does not build, or whose guest does not
 * boot, cannot be classified: git bisect skips it. Runs are numbered on from the commit's trials
 * already in the journal (its steps, the ends' runs beside other commits, a step interrupted
 * and measured again), so every trial keeps an id of its own.
 */
export async function measureCommit(ctx: MeasureContext, sha: string, runs: number): Promise<CommitMeasurement> {
  const short = sha.slice(0, 12);
  let built;
  try {
    const source = await userQemuSource(`${ctx.repo}@${sha}`, ctx.log);
    built = await buildVariant(
      { name: short, source: `${ctx.repo}@${sha}`, series: [], configure: [] },
      source,
      ctx.bisectCase.spec.arch,
      (line) => ctx.log(`  ${line}`),
    );
  } catch (e) {
    if (e instanceof EmuflockError) return { ok: false, reason: `does not build: ${e.message.split('\n')[0]}`, unbuilt: true };
    throw e;
  }
  const template = bisectTrialTemplate(ctx.bisectCase);
  const earlier = (await journalBeforeAppend(journalPath(ctx.dir), ctx.log)).map((e) => e.observation);
  const firstRep = earlier.filter((o) => o.trialId.startsWith(`bisect/${short}/`)).length;
  const values: number[] = [];
  for (let i = 0; i < runs; i++) {
    const trial: Trial = { ...template, trialId: `bisect/${short}/r${firstRep + i}`, variant: short, rep: firstRep + i, order: 0 };
    const obs: Observation = await runTrial(trial, {
      ...ctx.trial,
      variant: {
        binary: built.binary,
        dataDir: '/usr/share/qemu',
        record: { name: short, buildKey: built.key, series: [], binary: built.binary, binarySha256: built.binarySha256, qemuVersion: built.qemuVersion },
      },
    });
    appendObservation(journalPath(ctx.dir), obs);
    const value = obs.phases[ctx.metric];
    if (obs.outcome !== 'ok' || value === null) return { ok: false, reason: `does not boot: ${obs.outcome}: ${obs.error?.message ?? ''}` };
    values.push(value);
    ctx.log(`  ${short} run ${firstRep + i + 1}: ${ctx.metric} ${(value / 1000).toFixed(2)} s`);
  }
  return { ok: true, values };
}
