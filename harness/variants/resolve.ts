import { archSpec, type ArchName } from '../arch/index.js';
import { EmuflockError, inputError } from '../core/errors.js';
import { buildTools } from './build-tools.js';
import { acceptedFlags, configureOptions, optionName } from './configure-options.js';
import { debianQemuSource, debianQemuSourceOf } from './debian-source.js';
import { devicesSetup, kconfigSymbols } from './devices.js';
import { baseConfigureFlags, disabledFeatures, ensureBuilt, type BuiltQemu } from './qemu-build.js';
import { confinedPath } from '../core/confine.js';
import { loadSeries, notNeededOn, patchesRoot, releaseOf, seriesBases, type Series } from './series.js';
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
    const built = await buildVariant(v, await qemuSource(opts.qemuSrc ?? v.source, opts.log), arch, opts.log, extra, opts.qemuSrc !== undefined);
    resolved.set(v.name, {
      binary: built.binary,
      dataDir: firmwareDir,
      record: {
        name: v.name,
        buildKey: built.key,
        series: built.series,
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

/**
 * A variant's build, and the series it carries: its own, then `extra`. Built from another source
 * than its own (`sourceSwapped`: a history's source, --qemu-src), it leaves out a fix the fix's
 * README says that release does not need: "every fix" then means every fix the release takes. A
 * variant built from its own source is built as written, or refused.
 */
export async function buildVariant(
  v: VariantDef,
  source: SourceTree,
  arch: ArchName,
  log: (line: string) => void,
  extra: Series[] = [],
  sourceSwapped = false,
): Promise<BuiltQemu & { series: string[] }> {
  const leaveOut = sourceSwapped ? (name: string, why: string) => log(`build ${v.name}: ${name} left out on ${source.label}, its README says: ${why}`) : undefined;
  const series = [...(await seriesForSource(v.series, source, `variant ${v.name}`, leaveOut)), ...extra];
  const spec = archSpec(arch);
  const { configure, env, devices } = await sourceBuildSetup(source, arch, log);
  // The base flags and devices are part of the recipe, hence of the build key: changing them
  // rebuilds. A variant's own flags come last, so they win (--with-default-devices included).
  const built = await ensureBuilt({ source, series, configure: [...configure, ...v.configure], targets: [`${arch}-softmmu`], devices, env }, spec.qemuBinary, `build ${v.name}`, log);
  return { ...built, series: series.map((s) => s.name) };
}

/**
 * The named series in the versions written for this source's QEMU release. With `leaveOut`, a
 * series that has no version for the release and whose README says it is not needed there is
 * left out (and said), instead of refused.
 */
export async function seriesForSource(names: string[], source: SourceTree, askedBy: string, leaveOut?: (name: string, why: string) => void): Promise<Series[]> {
  const version = await sourceQemuVersion(source);
  const series = [];
  for (const name of names) {
    const why = leaveOut && version ? await notNeededWithoutVersion(name, releaseOf(version)) : undefined;
    if (why) {
      leaveOut!(name, why);
      continue;
    }
    const s = await loadSeries(name, patchesRoot(), version).catch((e: unknown) => {
      throw e instanceof EmuflockError ? inputError(`${askedBy}: ${e.message}`) : e;
    });
    series.push(s);
  }
  return series;
}

/**
 * How this source is configured for an architecture: emuflock's base flags less those its
 * configure does not know (said once per source), Debian's Python, only the devices the
 * architecture's trials use, and the environment its meson needs.
 */
export async function sourceBuildSetup(
  source: SourceTree,
  arch: ArchName,
  log: (line: string) => void,
): Promise<{ configure: string[]; env: Record<string, string>; devices?: Record<string, string> }> {
  const tools = await buildTools(source, log);
  const options = await configureOptions(source);
  const { kept, dropped } = acceptedFlags([...baseConfigureFlags, ...tools.pythonFlag], options);
  const devices = devicesSetup(arch, archSpec(arch).buildDevices, options, await kconfigSymbols(source));
  if (dropped.length && !announced.has(source.id)) {
    announced.add(source.id);
    // A feature switch a release lacks is a feature it does not have or always builds: no
    // option to miss, only a list to show.
    const features = disabledFeatures.filter((f) => dropped.includes(`--disable-${f}`));
    const others = dropped.filter((f) => !features.some((n) => f === `--disable-${n}`));
    if (others.length) log(`${source.label}: configure has no ${others.map(optionName).join(', ')}; building without`);
    if (features.length) log(`${source.label}: configure has no switch for ${features.join(', ')} (not in this release, or always built)`);
  }
  if (!announced.has(`${source.id} ${arch}`)) {
    announced.add(`${source.id} ${arch}`);
    if (!devices.devices) log(`${source.label}: configure cannot choose the devices to build; building every ${arch} device`);
    else if (devices.undefinedSymbols.length) log(`${source.label}: its Kconfig has no ${devices.undefinedSymbols.join(', ')}; built as this release builds it`);
  }
  return { configure: [...kept, ...devices.flags], env: tools.env, ...(devices.devices ? { devices: devices.devices } : {}) };
}

const announced = new Set<string>();

/** The series a source of this QEMU version takes: those its release needs (a side-by-side run names the sources itself). */
export async function seriesTakenBy(names: readonly string[], qemuVersion: string | undefined): Promise<string[]> {
  if (!qemuVersion) return [...names];
  const kept = [];
  for (const name of names) if (!(await notNeededWithoutVersion(name, releaseOf(qemuVersion)))) kept.push(name);
  return kept;
}

/** The README's "Not needed on" sentence when the series has per-release versions, none for `release`, and says so. */
async function notNeededWithoutVersion(name: string, release: string): Promise<string | undefined> {
  const dir = confinedPath(patchesRoot(), name, 'series');
  const bases = await seriesBases(dir);
  return bases.length > 0 && !bases.includes(release) ? notNeededOn(dir, release) : undefined;
}
