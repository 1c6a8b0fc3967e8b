import { parseDocument } from 'yaml';
import { parseCase } from '../case/load.js';
import { repetitionRange, variantName, type LoadedCase } from '../case/schema.js';
import { inputError } from '../core/errors.js';
import { systemVariantName } from '../variants/system-variant.js';
import { lookupVariants, type VariantDef } from '../variants/variant-defs.js';
import { defaultMaxRepetitions } from './review-defaults.js';

/** The variant a series is held against when the case starts with `system`: Debian's source of that QEMU. */
export const upstreamName = 'upstream';

/**
 * The base: `--base NAME` (a variant of the case or of the shared file), else the case's first
 * variant. `system` has no source to apply a series to, so it stands for Debian's source of the
 * same QEMU, the `upstream` variant.
 */
export function chooseBase(c: LoadedCase, shared: Map<string, VariantDef>, asked?: string): VariantDef {
  const wanted = asked ?? variantName(c.spec.variants[0]!);
  const name = wanted === systemVariantName ? upstreamName : wanted;
  const inline = c.spec.variants.find((v): v is VariantDef => typeof v !== 'string' && v.name === name);
  if (inline) return { ...inline };
  if (name === upstreamName && !shared.has(name)) return { name, source: 'debian', series: [], configure: [] };
  const [def] = lookupVariants([name], shared, asked ? '--base' : `${c.file}: variants`);
  return def as VariantDef;
}

/** A variant name from the series' title: "v2-blockdev-find-a-free-drive-unit". */
export function seriesSlug(title: string, version: number, taken: string): string {
  const words = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .split('-')
    .filter(Boolean);
  let slug = version > 1 ? `v${version}` : '';
  for (const w of words) {
    if ((slug ? slug.length + 1 : 0) + w.length > 40) break;
    slug = slug ? `${slug}-${w}` : w;
  }
  slug ||= 'series';
  return slug === taken ? `${slug}-series` : slug;
}

/**
 * The case as the review runs it: the same guest and points, with exactly two variants (the
 * base, and the base plus the posted series, whose patches the run directory keeps), and
 * adaptive repetitions up to `maxReps`. Written as YAML into run.json like any case, so the
 * report shows what ran.
 */
export function reviewCase(c: LoadedCase, base: VariantDef, seriesName: string, maxReps: number | undefined): LoadedCase {
  const doc = parseDocument(c.text);
  const { name: _base, ...baseRest } = base;
  doc.set('variants', [
    { name: base.name, ...baseRest },
    { name: seriesName, ...baseRest, description: `${base.name} + the posted series (review/series/${seriesName} in the run directory)` },
  ]);
  const range = repetitionRange(c.spec);
  const max = maxReps ?? (range.max > range.min ? range.max : Math.max(range.min, defaultMaxRepetitions));
  const min = Math.min(range.min, max);
  if (max > min) doc.set('repetitions', { min, max });
  else doc.set('repetitions', min);
  doc.commentBefore = ` emuflock review: ${c.file} with the base and base + series as its variants.${doc.commentBefore ? `\n${doc.commentBefore}` : ''}`;
  const text = doc.toString();
  try {
    return { ...parseCase(text, c.file), name: c.name };
  } catch (e) {
    // The text is generated: its line numbers are not the user's file's, so only the field is said.
    throw inputError(`${c.file}: cannot be reviewed with: ${(e as Error).message.replace(/^.*?:\d+:\d+: /gm, '')}`);
  }
}
