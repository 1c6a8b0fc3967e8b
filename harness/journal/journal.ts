import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { inputError } from '../errors.js';
import { observationSchema, type Observation } from './observation.js';

/**
 * results/<run-id>/journal.jsonl: one Observation per line, appended and fsynced one whole line
 * at a time, so an interrupted run loses at most the trial in flight and never leaves a torn line.
 */
export function appendObservation(file: string, obs: Observation): void {
  const fd = openSync(file, 'a', 0o644);
  try {
    writeSync(fd, journalLine(obs));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** One journal line: what appendObservation writes, for writers of whole journals (merge). */
export function journalLine(obs: Observation): string {
  return JSON.stringify(obs) + '\n';
}

/**
 * Reads a journal. A last line without its newline is what a crash mid-write would leave; it
 * is dropped with a warning rather than failing the whole run's analysis.
 */
export async function readJournal(file: string, warn: (msg: string) => void = () => {}): Promise<Observation[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw inputError(`${file}: no journal here (is this a results/<run-id> directory?)`);
  }
  const lines = text.split('\n');
  const last = lines.pop();
  if (last) warn(`${file}: ignoring an incomplete last line (the run was interrupted while writing it)`);
  return lines
    .filter((l) => l.trim().length > 0)
    .map((line, i) => {
      let obs: Observation;
      try {
        obs = JSON.parse(line) as Observation;
      } catch {
        throw inputError(`${file}:${i + 1}: not a JSON line`);
      }
      if (typeof obs.schema !== 'number' || obs.schema > observationSchema) {
        throw inputError(`${file}:${i + 1}: schema ${String(obs.schema)} is newer than this emuflock understands (${observationSchema})`);
      }
      return obs;
    });
}
