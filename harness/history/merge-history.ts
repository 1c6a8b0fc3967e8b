/**
 * `emuflock merge-history`: the shards of one history (`emuflock history --shard I/N`, a CI job
 * each) put back into one history folder, which `emuflock history --resume` then analyses,
 * checks side by side and bisects like any other. Each source's run is copied as it is (its
 * journal keeps the host it ran on).
 */
import { rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { onInterrupt } from '../core/process-group.js';
import { confinedRelative } from '../core/confine.js';
import { displayPath } from '../core/display-path.js';
import { inputError } from '../core/errors.js';
import { fsError } from '../core/fs-error.js';
import { printable } from '../core/printable.js';
import { sourceName } from './findings.js';
import { readHistory, sourceRoot, writeHistory, type HistoryFile, type SourceRecord } from './history-file.js';

export interface MergedHistory {
  dir: string;
  history: HistoryFile;
  /** Per source, in order: which shard measured it (its folder), or why it has no run. */
  rows: { source: string; from: string; status: string }[];
  notes: string[];
}

export async function mergeHistories(dirs: string[], out: string): Promise<MergedHistory> {
  if (dirs.length === 0) throw inputError('merge-history: name the shards\' history folders, e.g. emuflock merge-history results/shard-*/history-NAME --out results/history-NAME');
  const shards: { dir: string; history: HistoryFile }[] = [];
  for (const dir of dirs) shards.push({ dir, history: await readHistory(dir) });
  const first = shards[0]!;
  for (const s of shards.slice(1)) sameHistory(first, s);
  await emptyOutput(out, dirs);
  // Made beside --out and renamed into place whole: a merge killed halfway, or a second one into
  // the same --out, leaves no half-merged history there (the rename onto a folder that is no
  // longer empty fails, and that merge says so).
  const staging = await mkdtemp(`${resolve(out)}.merging-`).catch((e: unknown) => {
    throw fsError(e, out, '--out');
  });
  const stopListening = onInterrupt(() => rmSync(staging, { recursive: true, force: true }));
  try {
    const merged = await mergeInto(staging, shards);
    await rename(staging, out).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOTEMPTY' || e.code === 'EEXIST') throw notEmpty(out);
      throw fsError(e, out, '--out');
    });
    return { ...merged, dir: out };
  } finally {
    await rm(staging, { recursive: true, force: true });
    stopListening();
  }
}

async function mergeInto(out: string, shards: { dir: string; history: HistoryFile }[]): Promise<MergedHistory> {
  const first = shards[0]!;
  const notes: string[] = [];
  const rows: MergedHistory['rows'] = [];
  const records: Record<string, SourceRecord> = {};
  for (const source of first.history.sources) {
    const measured = shards.filter((s) => s.history.records[source.id]?.status === 'measured');
    const failed = shards.find((s) => s.history.records[source.id]?.status === 'failed');
    const name = sourceName(source);
    if (measured.length > 1) notes.push(`${name}: measured by ${measured.length} shards; kept ${displayPath(measured[0]!.dir)}'s run`);
    const from = measured[0];
    if (from) {
      const rec = from.history.records[source.id]!;
      const root = sourceRoot(from.dir, source.id);
      // A record names its run folder: a hand-edited one must name a folder inside its source's.
      const what = `${displayPath(from.dir)}/history.json: records.${source.id}.runDir`;
      const runDir = confinedRelative(from.dir, rec.runDir ?? '', what);
      confinedRelative(root, relative(root, runDir), what);
      await copyTree(root, sourceRoot(out, source.id));
      records[source.id] = { status: 'measured', runDir: relative(from.dir, runDir) };
      rows.push({ source: name, from: displayPath(from.dir), status: 'measured' });
    } else if (failed) {
      records[source.id] = failed.history.records[source.id]!;
      rows.push({ source: name, from: displayPath(failed.dir), status: `failed: ${failed.history.records[source.id]!.reason ?? ''}` });
    } else {
      rows.push({ source: name, from: '-', status: 'not measured (history --resume measures it)' });
    }
  }
  if (shards.some((s) => Object.keys(s.history.checks ?? {}).length > 0 || Object.keys(s.history.bisects ?? {}).length > 0)) {
    notes.push('side-by-side checks and bisects of the shards are not merged: history --resume on the merged folder makes them from all the sources');
  }
  const history: HistoryFile = { version: 1, name: first.history.name, case: first.history.case, sources: first.history.sources, records };
  await writeHistory(out, history);
  return { dir: out, history, rows, notes };
}

/** Shards of one history: the same case, byte for byte, and the same sources in the same order. */
function sameHistory(a: { dir: string; history: HistoryFile }, b: { dir: string; history: HistoryFile }): void {
  const [ha, hb] = [a.history, b.history];
  if (ha.case.sha256 !== hb.case.sha256) {
    throw inputError(`merge-history: ${displayPath(b.dir)} measures ${printable(hb.case.file)} (sha256 ${hb.case.sha256.slice(0, 12)}…), ${displayPath(a.dir)} ${printable(ha.case.file)} (${ha.case.sha256.slice(0, 12)}…): not shards of one history`);
  }
  const ids = (h: HistoryFile) => h.sources.map((s) => s.id);
  const [ia, ib] = [ids(ha), ids(hb)];
  const at = ia.findIndex((id, i) => id !== ib[i]);
  if (at >= 0 || ia.length !== ib.length) {
    const i = at >= 0 ? at : Math.min(ia.length, ib.length);
    const name = (h: HistoryFile) => (h.sources[i] ? `${printable(h.sources[i]!.label)} (${h.sources[i]!.id})` : 'nothing');
    // A suite (debian:sid) is pinned when a shard starts: shards started on either side of an archive update differ here.
    throw inputError(`merge-history: source ${i + 1} is ${name(hb)} in ${displayPath(b.dir)} but ${name(ha)} in ${displayPath(a.dir)}: not shards of one history (a suite that moved between shards? name its version)`);
  }
}

/** --out: absent or an empty folder, not inside a shard (its runs would be copied into themselves), its parent made. */
async function emptyOutput(out: string, shards: string[]): Promise<void> {
  for (const shard of shards) {
    const inside = relative(resolve(shard), resolve(out));
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) throw inputError(`--out ${displayPath(out)}: inside the shard ${displayPath(shard)}; merge into a folder of its own`);
  }
  const entries = await readdir(out).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw fsError(e, out, '--out');
  });
  if (entries.length > 0) throw notEmpty(out);
  await mkdir(dirname(resolve(out)), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw fsError(e, out, '--out');
  });
}

async function copyTree(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true }).catch((e: NodeJS.ErrnoException) => {
    throw fsError(e, to);
  });
}

function notEmpty(out: string): Error {
  return inputError(`--out ${displayPath(out)}: not empty; merge into a new folder`);
}
