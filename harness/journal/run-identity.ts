import { basename, extname } from 'node:path';
import { caseUnits, trialId } from '../case/matrix.js';
import type { LoadedCase } from '../case/schema.js';
import { safeComponent } from '../core/confine.js';
import { displayPath } from '../core/display-path.js';
import { inputError } from '../core/errors.js';
import { printable } from '../core/printable.js';
import type { JournalEntry } from './journal.js';

/**
 * What makes a journal line belong to its run, checked wherever a journal is read (compare,
 * report, review, talk, merge, a resume), not only where it is written: a hand-edited or
 * concatenated journal would otherwise be summed into statistics as if the plan had asked for
 * it. Per line: its runId is the run's (or, in a merged run, one of its shards'); its case is
 * one of run.json's; its variant and point are ones that case has; its trial id is the one
 * the plan gives that (case, variant, point, repetition); no trial id comes twice.
 */
export interface RunIdentity {
  runIds: ReadonlySet<string>;
  /** Per case name, the case as parsed from the run's text (undefined: a text this version cannot parse). */
  cases: ReadonlyMap<string, LoadedCase | undefined>;
}

export function identityOf(manifest: { runId: string; merged?: { sources: { runId: string }[] } }, cases: ReadonlyMap<string, LoadedCase | undefined>): RunIdentity {
  return { runIds: new Set([manifest.runId, ...(manifest.merged?.sources.map((s) => s.runId) ?? [])]), cases };
}

export function checkJournalIdentity(entries: readonly JournalEntry[], id: RunIdentity, journal: string): void {
  const shown = displayPath(journal);
  const seen = new Map<string, number>();
  const units = new Map<string, Set<string> | undefined>();
  for (const [name, c] of id.cases) units.set(name, c ? new Set(caseUnits(c).map((u) => `${u.variant}\n${u.point}`)) : undefined);
  for (const { observation: o, line } of entries) {
    const at = `${shown}:${line}`;
    if (!id.runIds.has(o.runId)) {
      throw inputError(`${at}: runId "${printable(o.runId, 60)}" is not this run's (${[...id.runIds].map((r) => printable(r, 60)).join(', ')}); a line from another run's journal does not belong here`);
    }
    if (!units.has(o.case)) {
      throw inputError(`${at}: case "${printable(o.case, 60)}" is not one of the run's cases (${[...units.keys()].map((n) => printable(n, 40)).join(', ')})`);
    }
    const caseUnitsOf = units.get(o.case);
    if (caseUnitsOf && !caseUnitsOf.has(`${o.variant.name}\n${o.point}`)) {
      throw inputError(`${at}: variant "${printable(o.variant.name, 40)}" at point "${printable(o.point, 60)}" is not in case ${printable(o.case, 40)}'s plan`);
    }
    const expected = trialId({ case: { name: o.case }, variant: o.variant.name, point: o.point }, o.rep, o.warmup);
    if (o.trialId !== expected) throw inputError(`${at}: trialId "${printable(o.trialId, 80)}" does not match its case, variant, point and repetition (${printable(expected, 80)})`);
    const before = seen.get(o.trialId);
    if (before !== undefined) {
      throw inputError(`${at}: trial ${printable(o.trialId, 80)} is recorded twice (first on line ${before}); a journal holds each trial once, so this one was edited or joined with another`);
    }
    seen.set(o.trialId, line);
  }
}

/**
 * run.json's cases: names unique (trial ids start with them), each the plain file name its
 * `file` gives (a name becomes chart and folder names: core/confine.ts), so an edited
 * run.json can neither mix two cases nor point a report outside its folder.
 */
export function checkManifestCases(manifest: { cases: { name: string; file: string }[] }, shown: string): void {
  const names = new Set<string>();
  manifest.cases.forEach((c, i) => {
    const what = `${shown}: cases[${i}].name`;
    safeComponent(c.name, what);
    if (c.name !== basename(c.file, extname(c.file))) {
      throw inputError(`${what}: "${printable(c.name, 60)}" is not the name of its file (${printable(c.file, 80)}); run.json was edited after the run started`);
    }
    if (names.has(c.name)) throw inputError(`${what}: "${printable(c.name, 60)}" is named twice; a run holds each case once`);
    names.add(c.name);
  });
}
