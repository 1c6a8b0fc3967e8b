import { readBounded } from '../core/bounded-read.js';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { writeAtomic } from '../core/files.js';
import { displayPath, parseYaml } from '../core/yaml-input.js';
import { bisectStateSchema } from './state-schema.js';
import type { PhaseName } from '../record/phases.js';

export type CommitStatus = 'fast' | 'slow' | 'skip';

export interface CommitRecord {
  sha: string;
  subject: string;
  status: CommitStatus;
  /** The metric of every ok trial, in ms. */
  values: number[];
  median?: number;
  lower?: number;
  upper?: number;
  /** Why a commit was skipped (build or boot failure). */
  reason?: string;
  /** Order in which the bisect visited the commit, from 0 (calibration first). */
  visit: number;
  /** The midpoint the commit was classified against (ms). */
  midpoint?: number;
  /** Runs of the endpoints interleaved with this commit's, when it straddled the calibrated midpoint. */
  beside?: { good: number[]; bad: number[] };
}

/**
 * Everything a bisect knows, rewritten atomically after each step: an interrupted bisect
 * resumes from it without measuring any commit twice.
 */
export interface BisectState {
  version: 1;
  repo: string;
  good: string;
  bad: string;
  goodRev: string;
  badRev: string;
  caseName: string;
  caseText: string;
  metric: PhaseName;
  /** `paired`: the ends run beside every commit from its first run (`--paired`). */
  runs: { calibration: number; step: number; max: number; verify: number; paired?: boolean };
  calibration?: { good: number[]; bad: number[]; midpoint: number };
  commits: Record<string, CommitRecord>;
  culprit?: { sha: string; subject: string; confirmed: boolean; evidence: string };
}

export const stateName = 'bisect.json';

export async function readState(dir: string): Promise<BisectState> {
  const file = join(dir, stateName);
  let text: string;
  try {
    text = (await readBounded(file, { maxBytes: 16 * 1024 * 1024, what: stateName })).toString('utf8');
  } catch (e) {
    throw inputError(`${displayPath(dir)}: not a bisect directory (${stateName}: ${(e as Error).message.replace(/^.*?: /, '')})`);
  }
  return parseYaml(text, displayPath(file), bisectStateSchema, `${stateName} is a JSON object (repo, good, bad, metric, runs, commits, ...)`) as BisectState;
}

export async function writeState(dir: string, state: BisectState): Promise<void> {
  await writeAtomic(join(dir, stateName), JSON.stringify(state, null, 2) + '\n');
}
