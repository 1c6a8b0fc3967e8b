import { basename, resolve } from 'node:path';
import { parseCase } from '../case/load.js';
import { variantName, type CaseSpec, type LoadedCase } from '../case/schema.js';
import { inputError } from '../core/errors.js';
import type { Observation } from '../record/observation.js';
import { readJournalLines } from './journal.js';
import { checkJournalIdentity, identityOf } from './run-identity.js';
import { journalPath, readManifest, type RunManifest } from './run-dir.js';

/**
 * A run directory read once, as compare, report, review and talk all take it: its run.json,
 * its trials and its case texts parsed, so none of them reads or parses any of it again.
 */
export interface OpenedRun {
  /** The run directory, absolute. */
  dir: string;
  /** How comparisons and messages name it. */
  label: string;
  manifest: RunManifest;
  observations: Observation[];
  /** Per case, its case file as the run kept it; absent: a text this version cannot read. */
  cases: ReadonlyMap<string, CaseSpec>;
  /** Per case, its variants in file order (the first is the baseline), then any only the journal names. */
  variantOrder: ReadonlyMap<string, string[]>;
}

/** Reads a results/<run-id> directory; `label` defaults to the run's id, `warn` hears of a torn last line. */
export async function openRun(dir: string, opts: { label?: string; warn?: (line: string) => void } = {}): Promise<OpenedRun> {
  const manifest = await readManifest(dir);
  const entries = await readJournalLines(journalPath(dir), opts.warn);
  const parsed = new Map(manifest.cases.map((c) => [c.name, parsedCase(c)]));
  checkJournalIdentity(entries, identityOf(manifest, parsed), journalPath(dir));
  const cases = [...parsed].flatMap(([name, c]) => (c ? [{ name, spec: c.spec }] : []));
  return openedRun({ dir, label: opts.label ?? basename(resolve(dir)), manifest, observations: entries.map((e) => e.observation), cases });
}

/**
 * A case text as this emuflock parses it; undefined when it cannot any more: the variant
 * order then falls back to the journal's, the sweep to the parameters that vary among its
 * trials, and its lines are checked for their case and trial id only.
 */
export function parsedCase(c: RunManifest['cases'][number]): LoadedCase | undefined {
  try {
    return parseCase(c.text, c.file, c.sha256);
  } catch {
    return undefined;
  }
}

/** A run from parts already in hand (the writer of a run that has just ended): nothing is read. */
export function openedRun(parts: {
  dir: string;
  label: string;
  manifest: RunManifest;
  observations: Observation[];
  cases: readonly { name: string; spec: CaseSpec }[];
}): OpenedRun {
  if (parts.observations.length === 0) throw inputError(`${parts.label}: the run has no trials recorded yet`);
  const cases = new Map(parts.cases.map((c) => [c.name, c.spec]));
  const variantOrder = new Map([...cases].map(([name, spec]) => [name, spec.variants.map(variantName)]));
  for (const o of parts.observations) {
    const order = variantOrder.get(o.case) ?? [];
    if (!order.includes(o.variant.name)) variantOrder.set(o.case, [...order, o.variant.name]);
  }
  return { dir: resolve(parts.dir), label: parts.label, manifest: parts.manifest, observations: parts.observations, cases, variantOrder };
}
