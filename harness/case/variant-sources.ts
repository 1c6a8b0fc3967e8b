/**
 * The QEMU sources a run will build from, checked before anything is fetched or built, and
 * named as the user wrote them: `--qemu-src` when given (it overrides every variant's source),
 * else each inline variant's `source:` in its case file. Also the `--variants` file, read even
 * when the cases name no shared variant: a file given and not used is a mistake to report.
 */
import { stat } from 'node:fs/promises';
import { splitSpec } from '../variants/user-source.js';
import { requireRevision } from '../variants/revision.js';
import { loadVariantDefs } from '../variants/variant-defs.js';
import { EmuflockError, inputError } from '../core/errors.js';
import { loadSeriesAllBases } from '../variants/series.js';
import { systemVariantName } from '../variants/system-variant.js';
import { caseVariants } from './case-variants.js';
import { printable } from '../core/printable.js';
import type { LoadedCase } from './schema.js';

export async function checkVariantSources(cases: LoadedCase[], opts: { qemuSrc?: string; variantsFile?: string }): Promise<void> {
  if (opts.variantsFile !== undefined) {
    await loadVariantDefs(opts.variantsFile).catch((e: Error) => {
      throw inputError(`--variants ${e.message}`);
    });
  }
  // Every series named exists in patches/ (in each release it is written for): found missing
  // only after a 400 MB source was fetched and unpacked, it would cost minutes to say so.
  for (const v of await caseVariants(cases, opts.variantsFile)) {
    if (v === systemVariantName) continue;
    for (const s of v.series) {
      await loadSeriesAllBases(s).catch((e: unknown) => {
        throw e instanceof EmuflockError ? inputError(`variant ${printable(v.name)}: ${e.message}`) : e;
      });
    }
  }
  if (opts.qemuSrc !== undefined) {
    if (!isDebianSource(opts.qemuSrc)) await requirePath(opts.qemuSrc, `--qemu-src ${printable(opts.qemuSrc)}`);
    return;
  }
  for (const c of cases) {
    for (const [i, v] of c.spec.variants.entries()) {
      if (typeof v === 'string' || isDebianSource(v.source)) continue;
      await requirePath(v.source, `${c.file}: variants[${i}].source: ${printable(v.source)}`);
    }
  }
}

/** `debian` or `debian:VERSION|SUITE`: found in the archive when built, not on disk. */
function isDebianSource(spec: string): boolean {
  return spec === 'debian' || spec.startsWith('debian:');
}

async function requirePath(spec: string, what: string): Promise<void> {
  const { path, rev } = splitSpec(spec);
  const found = await stat(path).then(
    () => true,
    (e: NodeJS.ErrnoException) => e.code !== 'ENOENT' && e.code !== 'ENOTDIR',
  );
  if (!found) throw inputError(`${what}: ${printable(path)} does not exist (expected a QEMU git checkout, PATH@REV, a release tarball, debian, or debian:VERSION|SUITE)`);
  if (rev === undefined) return;
  // The revision too, named where it was written: a missing one is found now, not after other
  // variants' sources were fetched and built.
  await requireRevision(path, rev, what);
}
