import { archSpec, type ArchName } from '../run/arch/index.js';
import { debianQemuSource } from './debian-source.js';
import { baseConfigureFlags, ensureBuilt, type BuiltQemu } from './qemu-build.js';
import { loadSeries } from './series.js';
import type { SourceTree } from './source-repo.js';
import { resolveSystemVariant, systemVariantName } from './system-variant.js';
import { userQemuSource } from './user-source.js';
import type { ResolvedVariant } from './variant.js';
import type { VariantDef } from './variant-defs.js';

export interface ResolveOptions {
  /** Overrides every built variant's source (`--qemu-src`). */
  qemuSrc?: string;
  log: (line: string) => void;
}

/** Where built QEMUs find firmware: they are configured without blobs of their own. */
const firmwareDir = '/usr/share/qemu';

/**
 * Turns variants into binaries, once per run: `system` is found on PATH, every other variant
 * is built (or found in the build cache by its key).
 */
export async function resolveVariants(
  variants: (VariantDef | typeof systemVariantName)[],
  arch: ArchName,
  opts: ResolveOptions,
): Promise<Map<string, ResolvedVariant>> {
  const resolved = new Map<string, ResolvedVariant>();
  const sources = new Map<string, Promise<SourceTree>>();
  for (const v of variants) {
    if (v === systemVariantName) {
      if (!resolved.has(v)) resolved.set(v, await resolveSystemVariant(archSpec(arch).qemuBinary));
      continue;
    }
    if (resolved.has(v.name)) continue;
    const sourceSpec = opts.qemuSrc ?? v.source;
    if (!sources.has(sourceSpec)) {
      sources.set(sourceSpec, sourceSpec === 'debian' ? debianQemuSource(opts.log) : userQemuSource(sourceSpec, opts.log));
    }
    const built = await buildVariant(v, await sources.get(sourceSpec)!, arch, opts.log);
    resolved.set(v.name, {
      binary: built.binary,
      dataDir: firmwareDir,
      record: {
        name: v.name,
        buildKey: built.key,
        series: v.series,
        binary: built.binary,
        binarySha256: built.binarySha256,
        qemuVersion: built.qemuVersion,
      },
    });
  }
  return resolved;
}

export async function buildVariant(v: VariantDef, source: SourceTree, arch: ArchName, log: (line: string) => void): Promise<BuiltQemu> {
  const series = [];
  for (const name of v.series) series.push(await loadSeries(name));
  const spec = archSpec(arch);
  // The base flags are part of the recipe, hence of the build key: changing them rebuilds.
  const configure = [...baseConfigureFlags, ...v.configure];
  return ensureBuilt({ source, series, configure, targets: [`${arch}-softmmu`] }, spec.qemuBinary, `build ${v.name}`, log);
}
