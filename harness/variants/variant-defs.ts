import { join } from 'node:path';
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { parseYaml, readUserFile } from '../core/yaml-input.js';
import { patchesRoot } from './series.js';
import { systemVariantName } from './system-variant.js';

// Series and variant names become folder names (patches/<series>/): no "..", no leading dot.
const token = z.string().max(64, 'at most 64 characters').regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only, not starting with "."');

/** A QEMU to build: a source, patch series applied in order, extra configure flags. */
export const variantDefSchema = z.strictObject({
  description: z.string().optional(),
  /** `debian` (Debian's qemu source package), a git checkout `PATH` or `PATH@REV`, or a tarball. */
  source: z.string().min(1).default('debian'),
  series: z.array(token).default([]),
  configure: z.array(z.string().regex(/^--[a-z0-9-]+(=[^\s]*)?$/, 'a configure option such as --enable-debug')).default([]),
});

export type VariantDef = z.output<typeof variantDefSchema> & { name: string };

const variantsFileSchema = z.record(token, variantDefSchema);

export function defaultVariantsFile(): string {
  return join(patchesRoot(), 'variants.yaml');
}

/** The shared definitions every case can name (patches/variants.yaml). */
export async function loadVariantDefs(file = defaultVariantsFile()): Promise<Map<string, VariantDef>> {
  const { bytes, shown } = await readUserFile(file);
  const parsed = parseYaml(bytes.toString('utf8'), shown, variantsFileSchema, 'a variants file maps variant names to {source, series, configure}');
  const defs = new Map<string, VariantDef>();
  for (const [name, def] of Object.entries(parsed)) {
    if (name === systemVariantName) throw inputError(`${shown}: "${systemVariantName}" is the distribution's binary and cannot be redefined`);
    defs.set(name, { ...def, name });
  }
  return defs;
}

/** Looks up variant names, saying where the unknown one was asked for. */
export function lookupVariants(names: string[], defs: Map<string, VariantDef>, askedBy: string): (VariantDef | typeof systemVariantName)[] {
  return names.map((name) => {
    if (name === systemVariantName) return systemVariantName;
    const def = defs.get(name);
    if (!def) {
      throw inputError(`${askedBy}: unknown variant "${name}" (known: ${[systemVariantName, ...defs.keys()].join(', ')}; defined in ${defaultVariantsFile()})`);
    }
    return def;
  });
}
