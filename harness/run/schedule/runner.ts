import { performance } from 'node:perf_hooks';
import { relative } from 'node:path';
import type { LoadedCase } from '../../case/schema.js';
import { assertShardable, planTrials, selectShard, shardLabel, type Plan, type Shard } from '../../case/matrix.js';
import { caseVariants } from '../../case/case-variants.js';
import { resolveVariants } from '../../variants/resolve.js';
import { RunVariants } from './run-variants.js';
import type { Series } from '../../variants/series.js';
import { ensureGuestAssets, type GuestAssets } from '../../guest/assets.js';
import { appendObservation, journalBeforeAppend } from '../../journal/journal.js';
import { lockRunDir } from '../../journal/run-lock.js';
import { checkJournalIdentity } from '../../journal/run-identity.js';
import { createRunDir, journalPath, newRunId, readManifest, type RunManifest } from '../../journal/run-dir.js';
import { describeHost } from '../../measure/host.js';
import { emuflockVersion } from '../../core/version.js';
import { inputError } from '../../core/errors.js';
import { checkWritableRoot } from '../../core/files.js';
import { rm } from 'node:fs/promises';
import { onInterrupt } from '../../core/process-group.js';
import { defaultAdaptiveRule, type AdaptiveRule } from './adaptive.js';
import { Eta } from './eta.js';
import { extensionLine, trialLine } from './progress.js';
import { raiseOpenFileLimit } from '../../limits/open-file-limit.js';
import { runSchedule, type ScheduleState } from './schedule.js';
import { runTrial } from '../trial/trial.js';
import { removeOrphanTrialDirs } from '../session/trial-dir.js';
import { checkCasesFitHost, checkPlanFitsHost } from '../host/host-checks.js';
import { checkVariantSources } from '../../case/variant-sources.js';
import { shellLine } from '../../core/shell-quote.js';
import { preflight } from '../host/preflight.js';
import { perfUnavailable } from '../../measure/profile/perf-availability.js';
import type { HostRecord } from '../../record/host.js';
import type { Observation } from '../../record/observation.js';

export interface RunOptions {
  resultsRoot: string;
  argv: string[];
  seed?: number;
  /** An existing run directory to continue: finished trials are skipped. */
  resumeDir?: string;
  /** How adaptive repetitions decide (default: totalMs, 5%, alpha 0.01); a resume passes the run's. */
  adaptive?: AdaptiveRule;
  /** Shared variant definitions (default patches/variants.yaml) and a source override. */
  variantsFile?: string;
  qemuSrc?: string;
  /** Series from outside patches/ appended to a variant's own (variants/resolve.ts). */
  extraSeries?: ReadonlyMap<string, Series[]>;
  /** Profile every trial with perf (cases can also say `profile: true`). */
  profile?: boolean;
  /** Run only this part of the plan (`--shard I/N`); `emuflock merge` puts the parts together. */
  shard?: Shard;
  /** false: boot every trial even when it does not fit the host's limits (`--no-preflight`). */
  preflight?: boolean;
  log: (line: string) => void;
}

export interface RunResult {
  runDir: string;
  /** run.json as this run wrote it, or as the resume read it under the run's lock. */
  manifest: RunManifest;
  observations: Observation[];
  plan: Plan;
}

/**
 * Runs every trial of the cases in the plan's interleaved order and appends each Observation
 * to the journal as soon as it exists. When all planned trials have run, adaptive repetitions
 * may extend the plan (adaptive.ts), and the new trials run the same way. A resumed run
 * replays the same plan (same cases, same seed, same looks at the same journal lines) and
 * skips trial ids already in the journal.
 */
export async function runCases(cases: LoadedCase[], opts: RunOptions): Promise<RunResult> {
  if (!opts.resumeDir) return prepareAndRun(cases, opts, undefined);
  // One writer per run directory: two resumes would plan from the same journal and record
  // trials twice. Claimed first, and the journal checked, before anything is built or booted.
  const unlock = await lockRunDir(opts.resumeDir);
  try {
    const journal = journalPath(opts.resumeDir);
    const entries = await journalBeforeAppend(journal, opts.log);
    // Lines of another run, a case or point this plan lacks, or a trial twice: a resume would
    // count them as this plan's and run a second plan into the same journal. The run's id is
    // run.json's (a run folder may have been moved or renamed since).
    // Read again under the lock: what the caller planned from was read before it was taken.
    const manifest = await readManifest(opts.resumeDir);
    checkJournalIdentity(entries, { runIds: new Set([manifest.runId]), cases: new Map(cases.map((c) => [c.name, c])) }, journal);
    return await prepareAndRun(cases, opts, { dir: opts.resumeDir, manifest, observations: entries.map((e) => e.observation) });
  } finally {
    await unlock();
  }
}

/** What a resume found in the run's folder. */
interface Resumed {
  dir: string;
  manifest: RunManifest;
  observations: Observation[];
}

async function prepareAndRun(cases: LoadedCase[], opts: RunOptions, resumed: Resumed | undefined): Promise<RunResult> {
  // A signal while builds, assets and host checks run (they spawn QEMUs too) says so; once
  // trials run, runLocked says where the journal stands instead.
  const before = opts.resumeDir ? `${shown(opts.resumeDir)} is as it was` : 'nothing was recorded';
  const interrupted = { say: (signal: NodeJS.Signals) => opts.log(`\n${signal}: stopped before the first trial; ${before}`) };
  const stopListening = onInterrupt((signal) => interrupted.say(signal));
  try {
    return await prepareAndRunListened(cases, opts, resumed, interrupted);
  } finally {
    stopListening();
  }
}

async function prepareAndRunListened(cases: LoadedCase[], opts: RunOptions, resumed: Resumed | undefined, interrupted: Interrupted): Promise<RunResult> {
  if (opts.shard) assertShardable(cases);
  const whole = planTrials(cases, opts.seed);
  const plan = opts.shard ? selectShard(whole, cases, opts.shard) : whole;
  if (opts.shard) {
    if (plan.trials.length === 0) {
      throw inputError(`--shard ${shardLabel(opts.shard)}: the plan has ${whole.trials.length} trials, fewer than ${opts.shard.count} shards, and this one would be empty`);
    }
    opts.log(`shard ${shardLabel(opts.shard)}: ${plan.trials.length} of the plan's ${whole.trials.length} trials`);
  }
  const rule = opts.adaptive ?? defaultAdaptiveRule;
  // Everything that can fail on input or environment happens before the run directory exists,
  // and what needs no download before anything is downloaded.
  await checkWritableRoot(opts.resumeDir ?? opts.resultsRoot, opts.resumeDir ? '--resume' : '--results');
  await checkPlanFitsHost(cases, plan);
  await checkVariantSources(cases, opts);
  await raiseOpenFileLimit();
  const host = await describeHost();
  const assets = new Map<string, GuestAssets>();
  for (const arch of new Set(cases.map((c) => c.spec.arch))) assets.set(arch, await ensureGuestAssets(arch, opts.log));
  const variants = new RunVariants();
  for (const arch of new Set(cases.map((c) => c.spec.arch))) {
    const defs = await caseVariants(cases.filter((c) => c.spec.arch === arch), opts.variantsFile);
    const resolved = await resolveVariants(defs, arch, {
      log: opts.log,
      ...(opts.qemuSrc ? { qemuSrc: opts.qemuSrc } : {}),
      ...(opts.extraSeries ? { extraSeries: opts.extraSeries } : {}),
    });
    variants.add(arch, resolved);
  }

  await checkCasesFitHost(cases, variants);
  const profiled = await profiledCases(cases, opts);
  const orphans = await removeOrphanTrialDirs();
  if (orphans > 0) opts.log(`removed ${orphans} trial director${orphans > 1 ? 'ies' : 'y'} left by an emuflock that was killed`);

  const setup = { plan, rule, host, assets, variants, profiled, interrupted };
  if (resumed) return runLocked(cases, opts, { ...setup, runDir: resumed.dir, manifest: resumed.manifest, previous: resumed.observations });
  const { dir: runDir, manifest } = await createRunDir(opts.resultsRoot, manifestFor(cases, plan, rule, opts));
  const unlock = await lockRunDir(runDir).catch(async (e: unknown) => {
    // Made a moment ago and holding only run.json: a run that never started leaves no folder.
    await rm(runDir, { recursive: true, force: true }).catch(() => {});
    throw e;
  });
  try {
    return await runLocked(cases, opts, { ...setup, runDir, manifest, previous: [] });
  } finally {
    await unlock();
  }
}

/** What a signal makes the run say, as far as it has got. */
interface Interrupted {
  say(signal: NodeJS.Signals): void;
}

interface RunSetup {
  runDir: string;
  manifest: RunManifest;
  interrupted: Interrupted;
  plan: Plan;
  rule: AdaptiveRule;
  host: HostRecord;
  assets: Map<string, GuestAssets>;
  variants: RunVariants;
  profiled: Set<string>;
  /** Trials the journal held when a resume started. */
  previous: Observation[];
}

/** Runs the trials not yet recorded; the caller holds the run directory's lock. */
async function runLocked(cases: LoadedCase[], opts: RunOptions, { runDir, manifest, plan, rule, host, assets, variants, profiled, previous, interrupted }: RunSetup): Promise<RunResult> {
  const journal = journalPath(runDir);
  // Every line carries run.json's id, which the readers check (a moved or renamed run keeps it).
  const { runId } = manifest;
  const state: ScheduleState = { plan, done: new Set(previous.map((o) => o.trialId)), observations: [...previous] };
  if (opts.resumeDir) opts.log(`resuming ${shown(runDir)}: ${state.done.size} trials recorded`);

  interrupted.say = (signal) => {
    opts.log(`\n${signal}: QEMU killed; ${state.done.size} of ${state.plan.trials.length} planned trials are in ${shown(journal)}`);
    opts.log(`continue with: ${shellLine(['emuflock', 'run', '--resume', shown(runDir)])}`);
  };
  const eta = new Eta();
  await runSchedule(
    cases,
    state,
    rule,
    async (trial) => {
      const ctx = { runId, log: opts.log, assets: assets.get(trial.params.arch)!, variant: variants.get(trial.params.arch, trial.variant)!, host, profile: profiled.has(trial.case) };
      const started = performance.now();
      const obs = (opts.preflight !== false ? await preflight(trial, ctx) : undefined) ?? (await runTrial(trial, ctx));
      appendObservation(journal, obs);
      eta.record(trial, performance.now() - started);
      const total = state.plan.trials.length;
      const index = state.plan.trials.filter((t) => state.done.has(t.trialId)).length + 1;
      const remaining = state.plan.trials.filter((t) => !state.done.has(t.trialId) && t.trialId !== trial.trialId);
      opts.log(trialLine(index, total, trial, obs, eta.remainingMs(remaining)));
      return obs;
    },
    (looks, added) => opts.log(extensionLine(looks, added)),
  );
  return { runDir, manifest, observations: state.observations, plan: state.plan };
}

function manifestFor(cases: LoadedCase[], plan: Plan, adaptive: AdaptiveRule, opts: RunOptions): RunManifest {
  return {
    runId: newRunId(cases.map((c) => c.name)),
    createdAt: new Date().toISOString(),
    emuflockVersion,
    argv: opts.argv,
    seed: plan.seed,
    cases: cases.map((c) => ({ name: c.name, file: c.file, sha256: c.sha256, text: c.text })),
    trials: plan.trials.length,
    adaptive,
    ...(opts.shard ? { shard: opts.shard } : {}),
  };
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/** The cases to profile, if perf works here; otherwise one line saying why, and none. */
async function profiledCases(cases: LoadedCase[], opts: RunOptions): Promise<Set<string>> {
  const wanted = cases.filter((c) => opts.profile || c.spec.profile).map((c) => c.name);
  if (wanted.length === 0) return new Set();
  const why = await perfUnavailable();
  if (why) {
    opts.log(`profiling off: ${why}`);
    return new Set();
  }
  return new Set(wanted);
}
