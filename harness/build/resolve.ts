import { archSpec, type ArchName } from '../run/arch/index.js';
import { debianQemuSource } from './debian-source.js';
import { baseConfigureFlags, ensureBuilt, type BuiltQemu } from './qemu-build.js';
import { loadSeries, type Series } from './series.js';
import type { SourceTree } from './source-repo.js';
import { resolveSystemVariant, systemVariantName } from './system-variant.js';
import { userQemuSource } from './user-source.js';
import type { ResolvedVariant } from './variant.js';
import type { VariantDef } from './variant-defs.js';

export interface ResolveOptions {
  /** Overrides every built variant's source (`--qemu-src`). */
  qemuSrc?: string;
  /**
   * Series that live outside patches/, appended to a variant's own, by variant name: a posted
   * series under review (emuflock review) is built like any other without being copied in.
   */
  extraSeries?: ReadonlyMap<string, Series[]>;
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
    if (!sources.has(sourceSpec)) sources.set(sourceSpec, qemuSource(sourceSpec, opts.log));
    const extra = opts.extraSeries?.get(v.name) ?? [];
    const built = await buildVariant(v, await sources.get(sourceSpec)!, arch, opts.log, extra);
    resolved.set(v.name, {
      binary: built.binary,
      dataDir: firmwareDir,
      record: {
        name: v.name,
        buildKey: built.key,
        series: [...v.series, ...extra.map((s) => s.name)],
        binary: built.binary,
        binarySha256: built.binarySha256,
        qemuVersion: built.qemuVersion,
      },
    });
  }
  return resolved;
}

/** A variant's `source`: `debian` (Debian's qemu source package), or a checkout or tarball. */
export function qemuSource(spec: string, log: (line: string) => void): Promise<SourceTree> {
  return spec === 'debian' ? debianQemuSource(log) : userQemuSource(spec, log);
}

export async function buildVariant(v: VariantDef, source: SourceTree, arch: ArchName, log: (line: string) => void, extra: Series[] = []): Promise<BuiltQemu> {
  const series = [];
  for (const name of v.series) series.push(await loadSeries(name));
  series.push(...extra);
  const spec = archSpec(arch);
  // The base flags are part of the recipe, hence of the build key: changing them rebuilds.
  const configure = [...baseConfigureFlags, ...v.configure];
  return ensureBuilt({ source, series, configure, targets: [`${arch}-softmmu`] }, spec.qemuBinary, `build ${v.name}`, log);
}
