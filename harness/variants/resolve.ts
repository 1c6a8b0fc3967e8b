import { archSpec, type ArchName } from '../arch/index.js';
import { EmuflockError, inputError } from '../core/errors.js';
import { buildTools } from './build-tools.js';
import { acceptedFlags, configureOptions, optionName } from './configure-options.js';
import { debianQemuSource, debianQemuSourceOf } from './debian-source.js';
import { baseConfigureFlags, ensureBuilt, type BuiltQemu } from './qemu-build.js';
import { loadSeries, patchesRoot, type Series } from './series.js';
import { sourceQemuVersion, type SourceTree } from './source-repo.js';
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
  for (const v of variants) {
    if (v === systemVariantName) {
      if (!resolved.has(v)) resolved.set(v, await resolveSystemVariant(archSpec(arch).qemuBinary));
      continue;
    }
    if (resolved.has(v.name)) continue;
    const extra = opts.extraSeries?.get(v.name) ?? [];
    const built = await buildVariant(v, await qemuSource(opts.qemuSrc ?? v.source, opts.log), arch, opts.log, extra);
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

/**
 * Sources resolved by this process, by spec: each is resolved once, however many variants
 * build from it and whoever asks first (a review resolves its base before its run does).
 */
const sources = new Map<string, Promise<SourceTree>>();

/** `debian` (the host's Debian release), `debian:VERSION|SUITE`, or a user's checkout or tarball. */
export function qemuSource(spec: string, log: (line: string) => void): Promise<SourceTree> {
  let source = sources.get(spec);
  if (!source) {
    source = resolveSource(spec, log);
    sources.set(spec, source);
    // A failure is not kept: asked again, the source is looked for again.
    source.catch(() => sources.delete(spec));
  }
  return source;
}

function resolveSource(spec: string, log: (line: string) => void): Promise<SourceTree> {
  if (spec === 'debian') return debianQemuSource(log);
  if (spec.startsWith('debian:')) return debianQemuSourceOf(spec.slice('debian:'.length), log);
  return userQemuSource(spec, log);
}

export async function buildVariant(v: VariantDef, source: SourceTree, arch: ArchName, log: (line: string) => void, extra: Series[] = []): Promise<BuiltQemu> {
  const series = [...(await seriesForSource(v.series, source, `variant ${v.name}`)), ...extra];
  const spec = archSpec(arch);
  const { configure, env } = await sourceBuildSetup(source, log);
  // The base flags are part of the recipe, hence of the build key: changing them rebuilds.
  return ensureBuilt({ source, series, configure: [...configure, ...v.configure], targets: [`${arch}-softmmu`], env }, spec.qemuBinary, `build ${v.name}`, log);
}

/** The named series in the versions written for this source's QEMU release. */
export async function seriesForSource(names: string[], source: SourceTree, askedBy: string): Promise<Series[]> {
  const version = await sourceQemuVersion(source);
  const series = [];
  for (const name of names) {
    const s = await loadSeries(name, patchesRoot(), version).catch((e: unknown) => {
      throw e instanceof EmuflockError ? inputError(`${askedBy}: ${e.message}`) : e;
    });
    series.push(s);
  }
  return series;
}

/**
 * How this source is configured: emuflock's base flags less those its configure does not know
 * (said once per source), Debian's Python, and the environment its meson needs.
 */
export async function sourceBuildSetup(source: SourceTree, log: (line: string) => void): Promise<{ configure: string[]; env: Record<string, string> }> {
  const tools = await buildTools(source, log);
  const { kept, dropped } = acceptedFlags([...baseConfigureFlags, ...tools.pythonFlag], await configureOptions(source));
  if (dropped.length && !announced.has(source.id)) {
    announced.add(source.id);
    log(`${source.label}: configure has no ${dropped.map(optionName).join(', ')}; building without`);
  }
  return { configure: kept, env: tools.env };
}

const announced = new Set<string>();
