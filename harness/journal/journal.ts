import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { lstat, truncate } from 'node:fs/promises';
import { readBounded } from '../core/bounded-read.js';
import { displayPath } from '../core/yaml-input.js';
import { inputError } from '../core/errors.js';
import { fsError } from '../core/fs-error.js';
import { printable } from '../core/printable.js';
import { observationSchema, observationSchemaVersion, type Observation } from '../record/observation.js';

/**
 * results/<run-id>/journal.jsonl: one Observation per line, appended and fsynced one whole line
 * at a time, so an interrupted run loses at most the trial in flight and never leaves a torn line.
 */
/**
 * The most a journal may hold: 64k trials of the largest Observations (a fleet's) fit well
 * inside it; a journal linked to /dev/zero or a runaway file is refused rather than read.
 */
export const journalMaxBytes = 256 * 1024 * 1024;

export function appendObservation(file: string, obs: Observation): void {
  try {
    const fd = openSync(file, 'a', 0o644);
    try {
      writeSync(fd, journalLine(obs));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    // A full disk mid-run: one line naming the journal. A part of the line may be written; a
    // resume cuts it (repairJournal) and runs that trial again.
    throw fsError(e, file);
  }
}

/** One journal line: what appendObservation writes, for writers of whole journals (merge). */
export function journalLine(obs: Observation): string {
  return JSON.stringify(obs) + '\n';
}

/**
 * Reads a journal. A last line without its newline is what a crash mid-write leaves; it is
 * dropped with a warning (repairJournal removes it before a resume appends). Any other line
 * that is not a whole Observation is refused with its line number, counting every line.
 */
export async function readJournal(file: string, warn: (msg: string) => void = () => {}): Promise<Observation[]> {
  return (await readJournalLines(file, warn)).map((e) => e.observation);
}

/** A journal's Observations with the line each came from, for checks that name the line (run-identity.ts). */
export interface JournalEntry {
  observation: Observation;
  /** 1-based, counting every line. */
  line: number;
}

/** readJournal, keeping each Observation's line number. */
export async function readJournalLines(file: string, warn: (msg: string) => void = () => {}): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = (await readBounded(file, { maxBytes: journalMaxBytes, what: 'a journal' })).toString('utf8');
  } catch (e) {
    if (/: no such file( \(|$)/.test((e as Error).message)) throw inputError(`${displayPath(file)}: no journal here (is this a results/<run-id> directory?)`);
    throw e;
  }
  const lines = text.split('\n');
  const last = lines.pop();
  if (last) warn(`${displayPath(file)}:${lines.length + 1}: ignoring an incomplete last line (the run was interrupted while writing it)`);
  const entries: JournalEntry[] = [];
  lines.forEach((line, i) => {
    if (line.trim().length > 0) entries.push({ observation: parseLine(line, `${displayPath(file)}:${i + 1}`), line: i + 1 });
  });
  return entries;
}

function parseLine(line: string, at: string): Observation {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw inputError(`${at}: not a JSON line (${printable(line, 40)})`);
  }
  const schema = (value as { schema?: unknown } | null)?.schema;
  if (typeof schema === 'number' && schema > observationSchemaVersion) {
    throw inputError(`${at}: schema ${schema} is newer than this emuflock understands (${observationSchemaVersion})`);
  }
  const checked = observationSchema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join('.') : '(the line)';
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    throw inputError(`${at}: ${field}: ${missing ? 'is required' : issue.message} (not an emuflock Observation)`);
  }
  return value as Observation;
}

/**
 * Before a resume appends: a torn last line (a crash mid-write) is cut off, so the next line
 * does not continue it and every line stays whole JSON. Returns the bytes removed.
 */
export async function repairJournal(file: string): Promise<number> {
  if (!(await exists(file))) return 0;
  const text = await readBounded(file, { maxBytes: journalMaxBytes, what: 'a journal' });
  if (!text || text.length === 0 || text[text.length - 1] === 0x0a) return 0;
  const keep = text.lastIndexOf(0x0a) + 1;
  await truncate(file, keep);
  return text.length - keep;
}

/**
 * The trials a journal holds before more are appended to it: a torn last line (the trial in
 * flight when a writer died) is cut off first, so the next append starts a line of its own; a
 * journal not written yet holds none; any other damage is refused, naming the line, rather than
 * appended to.
 */
export async function journalBeforeAppend(file: string, log: (line: string) => void): Promise<JournalEntry[]> {
  const cut = await repairJournal(file);
  if (cut > 0) log(`${displayPath(file)}: removed an incomplete last line (${cut} bytes: the trial in flight when the run stopped; it runs again)`);
  if (!(await exists(file))) return [];
  return readJournalLines(file, log);
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(() => true, () => false);
}
