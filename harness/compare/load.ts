import { parseCase } from '../case/load.js';
import { variantName, type CaseSpec } from '../case/schema.js';
import { readJournal } from '../journal/journal.js';
import { journalPath, readManifest } from '../journal/run-dir.js';
import { inputError } from '../core/errors.js';
import type { RunData } from './compare.js';

/**
 * Reads a results/<run-id> directory for comparison. The manifest's case texts give each case's
 * variant order (the first is the baseline), its sweep, description and published figures; a case text this emuflock cannot parse any more
 * leaves the order to the journal.
 */
export async function loadRun(dir: string, label: string, warn: (line: string) => void): Promise<RunData> {
  const manifest = await readManifest(dir);
  const observations = await readJournal(journalPath(dir), warn);
  if (observations.length === 0) throw inputError(`${label}: the run has no trials recorded yet`);
  const variantOrder = new Map<string, string[]>();
  const specs = new Map<string, CaseSpec>();
  for (const c of manifest.cases) {
    try {
      const { spec } = parseCase(c.text, c.file, c.sha256);
      variantOrder.set(c.name, spec.variants.map(variantName));
      specs.set(c.name, spec);
    } catch {
      // Fall back to the order in which the journal names the variants, and to the parameters
      // that vary among its trials.
    }
  }
  for (const o of observations) {
    const order = variantOrder.get(o.case) ?? [];
    if (!order.includes(o.variant.name)) variantOrder.set(o.case, [...order, o.variant.name]);
  }
  return { label, observations, variantOrder, specs };
}
