import type { LoadedCase } from './schema.js';
import { systemVariantName } from '../variants/system-variant.js';
import { loadVariantDefs, lookupVariants, type VariantDef } from '../variants/variant-defs.js';

/**
 * Every variant the cases ask for, as definitions: inline ones as written, names looked up in
 * the shared variants file (read only when some case names a variant it defines).
 */
export async function caseVariants(cases: LoadedCase[], variantsFile?: string): Promise<(VariantDef | typeof systemVariantName)[]> {
  const needsFile = cases.some((c) => c.spec.variants.some((v) => typeof v === 'string' && v !== systemVariantName));
  const shared = needsFile ? await loadVariantDefs(variantsFile) : new Map<string, VariantDef>();
  return cases.flatMap((c) =>
    c.spec.variants.flatMap((v) => (typeof v === 'string' ? lookupVariants([v], shared, `${c.file}: variants`) : [{ ...v }])),
  );
}
