/**
 * `emuflock merge`: the shards of one run (`emuflock run --shard I/N` on several machines) put
 * back together into one run directory that `emuflock compare` and `emuflock report` read like
 * any other. Observations are copied as they are: each keeps the host it ran on and the run
 * id of its shard, so the report can say what ran where.
 *
 *   const { dir, observations, notes } = await mergeRunDirs(['results/shard-1/…', 'results/shard-2/…'], { argv, out });
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { fsError } from '../core/fs-error.js';
import { displayPath } from '../core/display-path.js';
import { printable } from '../core/printable.js';
import { basename, join, resolve } from 'node:path';
import { parseCase } from '../case/load.js';
import { planTrials, shardLabel, type Shard } from '../case/matrix.js';
import { inputError } from '../core/errors.js';
import { emuflockVersion } from '../core/version.js';
import { journalLine, readJournalLines } from './journal.js';
import { checkJournalIdentity, identityOf } from './run-identity.js';
import { parsedCase } from './opened-run.js';
import { resultsRoot } from '../core/paths.js';
import { journalPath, manifestName, newRunId, readManifest, writeManifest, type RunManifest } from './run-dir.js';
import { writeAtomic } from '../core/files.js';
import type { Observation } from '../record/observation.js';

/** One run directory to merge, as read from disk; `label` is how messages name it. */
export interface MergeSource {
  label: string;
  dir: string;
  manifest: RunManifest;
  observations: Observation[];
}

export interface Merged {
  /** The merged run's manifest, less runId and createdAt (the writer decides where it goes). */
  manifest: Omit<RunManifest, 'runId' | 'createdAt'>;
  /** In plan order, one per trial id. */
  observations: Observation[];
  /** What the merge left out or found missing, one line each. */
  notes: string[];
}

/**
 * Checks that the sources are parts of one plan (same case files byte for byte, same seed,
 * same number of shards) run with the same QEMU builds, then keeps one observation per trial
 * id (the first, in the order the sources are given). Pure: no files are read or written.
 */
export function mergeRuns(sources: MergeSource[], argv: string[]): Merged {
  const first = sources[0];
  if (!first) throw inputError('name at least one run directory to merge, e.g. emuflock merge results/shard-*/*/');
  for (const s of sources.slice(1)) checkSamePlan(first, s);
  checkSameBuilds(sources);

  const kept = new Map<string, Observation>();
  const notes: string[] = [];
  for (const s of sources) {
    let duplicates = 0;
    for (const o of s.observations) {
      if (kept.has(o.trialId)) duplicates++;
      else kept.set(o.trialId, o);
    }
    if (duplicates > 0) notes.push(`${s.label}: ${duplicates} trial${duplicates > 1 ? 's' : ''} already merged from an earlier run (kept the earlier)`);
  }
  const observations = [...kept.values()].sort((a, b) => a.order - b.order);

  const planned = plannedTrialIds(first.manifest);
  const missing = planned ? planned.filter((id) => !kept.has(id)) : [];
  if (missing.length > 0) {
    notes.push(`${missing.length} of the plan's ${planned!.length} trials are in no merged run (a shard missing or interrupted?), e.g. ${missing[0]}`);
  }
  const m = first.manifest;
  return {
    manifest: {
      emuflockVersion,
      // The one-machine command these shards stand for, so "how to reproduce" stays true.
      argv: withoutShardOption(m.argv),
      seed: m.seed,
      cases: m.cases,
      trials: planned?.length ?? sources.reduce((n, s) => n + s.manifest.trials, 0),
      ...(m.adaptive ? { adaptive: m.adaptive } : {}),
      merged: {
        argv,
        sources: sources.map((s) => ({
          runId: s.manifest.runId,
          dir: s.dir,
          shard: s.manifest.shard ?? null,
          hosts: [...new Set(s.observations.map((o) => o.host.hostname))],
          trials: s.observations.length,
        })),
        missing,
      },
    },
    observations,
    notes,
  };
}

function shardOf(m: RunManifest): Shard {
  return m.shard ?? { index: 1, count: 1 };
}

function checkSamePlan(a: MergeSource, b: MergeSource): void {
  const casesOf = (s: MergeSource) => s.manifest.cases.map((c) => `${c.name} (sha256 ${c.sha256.slice(0, 12)})`).join(', ');
  if (casesOf(a) !== casesOf(b)) {
    throw inputError(`${b.label}: ran other case files than ${a.label}: ${casesOf(b)} vs ${casesOf(a)}; only shards of one run merge`);
  }
  if (a.manifest.seed !== b.manifest.seed) {
    throw inputError(`${b.label}: seed ${b.manifest.seed}, but ${a.label} has seed ${a.manifest.seed}; only shards of one run (one trial order) merge`);
  }
  if (shardOf(a.manifest).count !== shardOf(b.manifest).count) {
    throw inputError(
      `${b.label}: shard ${shardLabel(shardOf(b.manifest))}, but ${a.label} is shard ${shardLabel(shardOf(a.manifest))}; shards of one run split it the same way`,
    );
  }
}

/** A variant name must mean one binary across shards, or the merged comparison mixes builds. */
function checkSameBuilds(sources: MergeSource[]): void {
  const seen = new Map<string, { buildKey: string; label: string }>();
  for (const s of sources) {
    for (const o of s.observations) {
      const before = seen.get(o.variant.name);
      if (!before) seen.set(o.variant.name, { buildKey: o.variant.buildKey, label: s.label });
      else if (before.buildKey !== o.variant.buildKey) {
        throw inputError(
          `${s.label}: variant ${o.variant.name} ran build ${o.variant.buildKey}, but ${before.label} ran build ${before.buildKey}; shards must run the same QEMU builds (same source, patches and flags)`,
        );
      }
    }
  }
}

/** The trial ids of the whole plan (before adaptive extensions); null if the cases no longer parse. */
function plannedTrialIds(m: RunManifest): string[] | null {
  try {
    const cases = m.cases.map((c) => parseCase(c.text, c.file, c.sha256));
    return planTrials(cases, m.seed).trials.map((t) => t.trialId);
  } catch {
    return null;
  }
}

function withoutShardOption(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--shard') i++;
    else if (!argv[i]!.startsWith('--shard=')) out.push(argv[i]!);
  }
  return out;
}

export interface MergeOptions {
  /** The merged run directory; it must not hold a run yet. Default: results/<run-id>-merged. */
  out?: string;
  argv: string[];
  warn?: (line: string) => void;
}

/** Reads the run directories, merges them, and writes the merged run: journal first, run.json last. */
export async function mergeRunDirs(dirs: string[], opts: MergeOptions): Promise<Merged & { dir: string }> {
  const sources: MergeSource[] = [];
  for (const dir of dirs) {
    const manifest = await readManifest(dir);
    const entries = await readJournalLines(journalPath(dir), opts.warn);
    checkJournalIdentity(entries, identityOf(manifest, new Map(manifest.cases.map((c) => [c.name, parsedCase(c)]))), journalPath(dir));
    sources.push({ label: dir, dir: resolve(dir), manifest, observations: entries.map((e) => e.observation) });
  }
  const merged = mergeRuns(sources, opts.argv);
  const out = resolve(opts.out ?? join(resultsRoot(), `${newRunId(merged.manifest.cases.map((c) => c.name))}-merged`));
  if (await exists(join(out, manifestName))) throw inputError(`${opts.out ?? out}: already holds a run; choose another --out or remove it`);
  // A merged run is a folder of its own: written into a results root (or any folder in use) it
  // would sit beside other runs and their journals would read as its own.
  const inside = await readdir(out).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw fsError(e, out, '--out');
  });
  if (inside.length > 0) throw inputError(`--out ${displayPath(out)}: holds other files (${inside.slice(0, 3).map((f) => printable(f, 40)).join(', ')}); a merged run goes into a new folder`);
  await mkdir(out, { recursive: true }).catch((e: unknown) => {
    throw fsError(e, out, '--out');
  });
  // run.json is what makes a directory a run, so it is written only once the journal is whole.
  await writeAtomic(journalPath(out), merged.observations.map(journalLine).join(''));
  // Into `out` itself: createRunDir would find it taken and make a sibling.
  await writeManifest(out, { createdAt: new Date().toISOString(), ...merged.manifest, runId: basename(out) });
  return { ...merged, dir: out };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
