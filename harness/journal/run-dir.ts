import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import type { Shard } from '../case/matrix.js';
import type { PhaseName } from './observation.js';

/** What a run was asked to do, written once at its start: enough to resume it or reproduce it. */
export interface RunManifest {
  runId: string;
  createdAt: string;
  emuflockVersion: string;
  /** The command line that started the run, for the report's "how to reproduce". */
  argv: string[];
  seed: number;
  cases: { name: string; file: string; sha256: string; text: string }[];
  /** Trials planned at the start; adaptive repetitions may add more. */
  trials: number;
  /** How adaptive repetitions decided (absent in runs made before they existed: the defaults). */
  adaptive?: { metric: PhaseName; threshold: number; alpha: number };
  /** Set by `emuflock run --shard I/N`: this run holds only that part of the plan (seed, cases). */
  shard?: Shard;
  /** Set by `emuflock merge`: the runs whose journals this one combines. */
  merged?: MergedFrom;
}

export interface MergedFrom {
  /** The `emuflock merge` command line (argv above is the one-machine run it stands for). */
  argv: string[];
  sources: { runId: string; dir: string; shard: Shard | null; hosts: string[]; trials: number }[];
  /** Trial ids of the plan that no source recorded. */
  missing: string[];
}

export const journalName = 'journal.jsonl';
export const manifestName = 'run.json';

export function journalPath(runDir: string): string {
  return join(runDir, journalName);
}

/** A run id sorts by time and says what ran: 20261126-045118-smoke. */
export function newRunId(caseNames: string[], now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const what = caseNames.length <= 2 ? caseNames.join('+') : `${caseNames[0]}+${caseNames.length - 1}-more`;
  return `${stamp}-${what}`;
}

/** Writes a file so that readers see the old or the new content, never a part. */
export async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

export async function createRunDir(root: string, manifest: RunManifest): Promise<string> {
  const dir = join(root, manifest.runId);
  await mkdir(dir, { recursive: true });
  await writeAtomic(join(dir, manifestName), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}

export async function readManifest(runDir: string): Promise<RunManifest> {
  try {
    return JSON.parse(await readFile(join(runDir, manifestName), 'utf8')) as RunManifest;
  } catch {
    throw inputError(`${runDir}: not a run directory (no readable ${manifestName})`);
  }
}
