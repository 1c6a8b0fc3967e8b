import { performance } from 'node:perf_hooks';
import { relative } from 'node:path';
import type { LoadedCase } from '../case/schema.js';
import { planTrials, type Plan } from '../case/matrix.js';
import { caseVariants } from '../build/case-variants.js';
import { resolveVariants } from '../build/resolve.js';
import type { ResolvedVariant } from '../build/variant.js';
import { ensureS390xAssets } from '../guest/s390x-assets.js';
import { appendObservation, readJournal } from '../journal/journal.js';
import type { Observation } from '../journal/observation.js';
import { createRunDir, journalPath, newRunId, type RunManifest } from '../journal/run-dir.js';
import { describeHost } from '../measure/host.js';
import { emuflockVersion } from '../version.js';
import type { ArchName } from './arch/index.js';
import { onInterrupt } from './process-group.js';
import { trialLine } from './progress.js';
import { raiseOpenFileLimit } from './rlimit.js';
import { runTrial } from './trial.js';

export interface RunOptions {
  resultsRoot: string;
  argv: string[];
  seed?: number;
  /** An existing run directory to continue: finished trials are skipped. */
  resumeDir?: string;
  /** Shared variant definitions (default patches/variants.yaml) and a source override. */
  variantsFile?: string;
  qemuSrc?: string;
  log: (line: string) => void;
}

export interface RunResult {
  runDir: string;
  observations: Observation[];
  plan: Plan;
}

/**
 * Runs every trial of the cases in the plan's interleaved order and appends each Observation
 * to the journal as soon as it exists. A resumed run replays the same plan (same cases, same
 * seed) and skips trial ids already in the journal.
 */
export async function runCases(cases: LoadedCase[], opts: RunOptions): Promise<RunResult> {
  const plan = planTrials(cases, opts.seed);
  // Everything that can fail on input or environment happens before the run directory exists.
  await raiseOpenFileLimit();
  const host = await describeHost();
  const assets = await ensureS390xAssets(opts.log);
  const variants = new Map<string, ResolvedVariant>();
  for (const arch of new Set(cases.map((c) => c.spec.arch))) {
    const defs = await caseVariants(cases.filter((c) => c.spec.arch === arch), opts.variantsFile);
    const resolved = await resolveVariants(defs, arch as ArchName, { log: opts.log, ...(opts.qemuSrc ? { qemuSrc: opts.qemuSrc } : {}) });
    for (const [name, v] of resolved) variants.set(name, v);
  }

  const runDir = opts.resumeDir ?? (await createRunDir(opts.resultsRoot, manifestFor(cases, plan, opts)));
  const journal = journalPath(runDir);
  const previous = opts.resumeDir ? await readJournal(journal, opts.log).catch(() => [] as Observation[]) : [];
  const done = new Set(previous.map((o) => o.trialId));
  const todo = plan.trials.filter((t) => !done.has(t.trialId));
  if (opts.resumeDir) opts.log(`resuming ${shown(runDir)}: ${done.size} trials recorded, ${todo.length} to run`);

  const stopListening = onInterrupt((signal) => {
    opts.log(`\n${signal}: QEMU killed; ${done.size} of ${plan.trials.length} trials are in ${shown(journal)}`);
    opts.log(`continue with: emuflock run --resume ${shown(runDir)}`);
  });
  const observations = [...previous];
  const started = performance.now();
  try {
    for (const [i, trial] of todo.entries()) {
      const obs = await runTrial(trial, { runId: runIdOf(runDir), assets, variant: variants.get(trial.variant)!, host });
      appendObservation(journal, obs);
      done.add(trial.trialId);
      observations.push(obs);
      const elapsed = performance.now() - started;
      const eta = (elapsed / (i + 1)) * (todo.length - i - 1);
      opts.log(trialLine(done.size, plan.trials.length, trial, obs, eta));
    }
  } finally {
    stopListening();
  }
  return { runDir, observations, plan };
}

function manifestFor(cases: LoadedCase[], plan: Plan, opts: RunOptions): RunManifest {
  return {
    runId: newRunId(cases.map((c) => c.name)),
    createdAt: new Date().toISOString(),
    emuflockVersion,
    argv: opts.argv,
    seed: plan.seed,
    cases: cases.map((c) => ({ name: c.name, file: c.file, sha256: c.sha256, text: c.text })),
    trials: plan.trials.length,
  };
}

function runIdOf(runDir: string): string {
  return runDir.split('/').filter(Boolean).pop()!;
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
