import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { writeAtomic } from '../core/files.js';
import { displayPath, parseYaml } from '../core/yaml-input.js';

/**
 * history.json: one case measured across an ordered list of QEMU sources. Each source is
 * measured once, in a run of its own under sources/<id>/ (its journal, lock and resume are a
 * run's), so adding a source later costs that source's builds and boots only, and an
 * interrupted history resumes the run it stopped in.
 */
export interface HistorySource {
  /** As the user named it: `debian:sid`, `v9.2.0`, `~/src/qemu@abc123`. */
  label: string;
  /** What runs build from, pinned: `debian:VERSION`, `PATH@SHA`, a tarball. */
  spec: string;
  /** The source's identity (SourceTree.id: a Debian version, a commit, a digest): its folder under sources/. */
  id: string;
  /** For a commit: the repository and the sha, so that a step between two commits can be bisected. */
  git?: { repo: string; commit: string; subject: string };
  /** The QEMU release it holds (its VERSION file). */
  qemuVersion?: string;
}

export interface SourceRecord {
  /** measured: its run ended; failed: it did not build (tried again only with history --retry-failed). */
  status: 'measured' | 'failed';
  runDir?: string;
  reason?: string;
}

export interface HistoryFile {
  version: 1;
  name: string;
  case: { name: string; file: string; sha256: string; text: string };
  /** In the order a reader walks them, oldest first. */
  sources: HistorySource[];
  /** By source id: what became of it. A source listed here but not above stays on disk, unused. */
  records: Record<string, SourceRecord>;
  /**
   * Runs of the two sources of a step side by side (one run, interleaved), by `<from id>..<at id>`:
   * sources measured at different times also differ by the host's load then; a step is
   * confirmed only when its two sources, booted alternately, differ the same way. A candidate
   * step (too few trials to call) gets a run with more trials, by `<pair> more-trials <variant> <point>`.
   */
  checks?: Record<string, SourceRecord>;
  /** Bisects started for steps, by `<from id>..<at id> <metric> <point> <variant>`: their directory. */
  bisects?: Record<string, { dir: string; culprit?: string; subject?: string; confirmed?: boolean; error?: string }>;
}

const sourceSchema = z.looseObject({
  label: z.string().min(1),
  spec: z.string().min(1),
  id: z.string().min(1),
  git: z.looseObject({ repo: z.string(), commit: z.string().regex(/^[0-9a-f]{40}$/), subject: z.string() }).optional(),
  qemuVersion: z.string().optional(),
});

const recordSchema = z.looseObject({ status: z.enum(['measured', 'failed']), runDir: z.string().optional(), reason: z.string().optional() });

const historySchema = z.looseObject({
  version: z.literal(1, { error: 'version 1 (the only one this emuflock reads)' }),
  name: z.string().min(1),
  case: z.looseObject({ name: z.string(), file: z.string(), sha256: z.string(), text: z.string() }),
  sources: z.array(sourceSchema),
  records: z.record(z.string(), recordSchema),
  checks: z.record(z.string(), recordSchema).optional(),
  bisects: z
    .record(z.string(), z.looseObject({ dir: z.string(), culprit: z.string().optional(), subject: z.string().optional(), confirmed: z.boolean().optional(), error: z.string().optional() }))
    .optional(),
});

export const historyFileName = 'history.json';

export async function readHistory(dir: string): Promise<HistoryFile> {
  const file = join(dir, historyFileName);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw inputError(`${displayPath(dir)}: not a history directory (${e.code === 'ENOENT' || e.code === 'ENOTDIR' ? `no ${historyFileName}` : `${historyFileName}: ${e.code}`})`);
  });
  return parseYaml(text, displayPath(file), historySchema, `${historyFileName} is a JSON object (name, case, sources, records)`) as HistoryFile;
}

export async function readHistoryIfAny(dir: string): Promise<HistoryFile | undefined> {
  const exists = await readFile(join(dir, historyFileName)).then(() => true, () => false);
  return exists ? readHistory(dir) : undefined;
}

export async function writeHistory(dir: string, history: HistoryFile): Promise<void> {
  await writeAtomic(join(dir, historyFileName), JSON.stringify(history, null, 2) + '\n');
}

/** How checks name a pair of sources. */
export function pairKey(history: HistoryFile, from: number, at: number): string {
  return `${history.sources[from]!.id}..${history.sources[at]!.id}`;
}

/**
 * How checks name the run that boots a pair's two sources again with more trials, one variant
 * at one point, to decide a candidate step (decide-candidates.ts):
 * `<from id>..<at id> more-trials <variant> <point>`.
 */
export function decideKey(pair: string, variant: string, point: string): string {
  return `${pair} more-trials ${variant} ${point}`;
}

/** The results root of one source's run: sources/<id>/ holds that run's directory. */
export function sourceRoot(dir: string, id: string): string {
  return join(dir, 'sources', id.replace(/[^A-Za-z0-9.+_-]/g, '_'));
}
