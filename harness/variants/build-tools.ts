import { access, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dir as tmpDir } from 'tmp-promise';
import { environmentError } from '../core/errors.js';
import { run } from '../core/exec.js';
import { cacheRoot } from '../core/paths.js';
import { archiveVersions, archiveView, compareDebianVersions, type ArchiveVersion, type ArchiveView } from '../debian/debian-archive.js';
import { withLock } from '../core/dir-lock.js';
import type { SourceTree } from './source-repo.js';

/**
 * The Python and meson a source's configure runs with. QEMU 8.1 and later build a venv on the
 * first `python3` on PATH, which need not be Debian's (a pyenv shim has no meson module), so
 * emuflock names Debian's interpreter; they also check meson's version in that venv and,
 * offline, cannot fetch a newer one: when Debian's meson is too old for the
 * source (10.2 needs 1.5; Debian 12 has 1.0.1), emuflock unpacks a newer meson package of the
 * same archive (the release's backports first) into its cache and puts it on PYTHONPATH for
 * configure and ninja. The host's own meson, which older sources build with, stays as it is.
 */
export interface BuildTools {
  /** `--python=...`, when Debian's interpreter exists. */
  pythonFlag: string[];
  /** Added to configure's and ninja's environment. */
  env: Record<string, string>;
}

export const debianPython = '/usr/bin/python3';

export async function buildTools(source: SourceTree, log: (line: string) => void): Promise<BuildTools> {
  const python = await access(debianPython).then(
    () => debianPython,
    () => undefined,
  );
  const pythondeps = await fileAt(source, 'pythondeps.toml');
  // Only sources that build their own venv take --python: 7.2's configure then insists on the
  // meson submodule its Debian source lacks ("--python requires using QEMU's embedded Meson
  // distribution"), and runs the host's meson, itself Debian's Python, without it.
  const pythonFlag = python && pythondeps !== undefined ? [`--python=${python}`] : [];
  const needed = mesonRequirement(pythondeps);
  if (!needed || !python) return { pythonFlag, env: {} };
  const have = await mesonVersion(python, {});
  if (have && compareDebianVersions(have, needed) >= 0) return { pythonFlag, env: {} };
  const path = await debianMeson(needed, log);
  const env = { PYTHONPATH: path };
  const got = await mesonVersion(python, env);
  if (!got || compareDebianVersions(got, needed) < 0) {
    throw environmentError(`${source.label} needs meson >= ${needed}; the meson unpacked in ${path} reports ${got ?? 'nothing'}`);
  }
  return { pythonFlag, env };
}

/** `meson = { accepted = ">=1.5.0", ... }` in the [meson] group of QEMU's pythondeps.toml. */
export function mesonRequirement(pythondeps: string | undefined): string | undefined {
  if (!pythondeps) return undefined;
  const group = pythondeps.split(/^\[/m).find((g) => g.startsWith('meson]'));
  return group?.match(/^meson\s*=\s*\{[^}]*accepted\s*=\s*">=\s*([0-9.]+)"/m)?.[1];
}

async function mesonVersion(python: string, env: Record<string, string>): Promise<string | undefined> {
  return run(python, ['-c', 'import mesonbuild.coredata as c; print(c.version)'], { env }).then(
    (v) => v.trim() || undefined,
    () => undefined,
  );
}

async function fileAt(source: SourceTree, path: string): Promise<string | undefined> {
  return run('git', ['-C', source.repo, 'show', `${source.commit}:${path}`]).catch(() => undefined);
}

/** The package to unpack: the backports' version if it is new enough, else the oldest that is. */
export function pickMeson(versions: ArchiveVersion[], needed: string): ArchiveVersion | undefined {
  const fit = versions.filter((v) => compareDebianVersions(v.version.replace(/-[^-]*$/, ''), needed) >= 0);
  const backport = fit.find((v) => v.suite.endsWith('-backports'));
  return backport ?? fit.sort((a, b) => compareDebianVersions(a.version, b.version))[0];
}

/** Unpacks Debian's meson package (architecture all, pure Python) once; returns its module path. */
async function debianMeson(needed: string, log: (line: string) => void): Promise<string> {
  // One unpacked before serves without asking the archive (an apt-cache call costs seconds).
  const unpacked = (await readdir(join(cacheRoot(), 'tools')).catch(() => [] as string[]))
    .map((name) => name.match(/^meson-(\d[\d.]*)-/))
    .find((m) => m && compareDebianVersions(m[1]!, needed) >= 0);
  const ready = unpacked && join(cacheRoot(), 'tools', unpacked.input!, 'usr', 'lib', 'python3', 'dist-packages');
  if (ready && (await access(ready).then(() => true, () => false))) return ready;
  const view = await archiveView(log);
  const picked = pickMeson(await archiveVersions(view, 'meson', 'Packages'), needed);
  if (!picked) throw environmentError(`QEMU's configure needs meson >= ${needed}, and no suite of the machine's Debian mirror has one`);
  const dir = join(cacheRoot(), 'tools', `meson-${picked.version.replace(/[^A-Za-z0-9.+_-]/g, '_')}`);
  const modules = join(dir, 'usr', 'lib', 'python3', 'dist-packages');
  if (await access(modules).then(() => true, () => false)) return modules;
  await mkdir(join(cacheRoot(), 'tools'), { recursive: true });
  // Two builds may both find it missing: one unpacks, the other waits and finds it there.
  return withLock(join(cacheRoot(), 'tools'), (owner) => log(`waiting for another emuflock unpacking meson (pid ${owner})`), async () => {
    if (await access(modules).then(() => true, () => false)) return modules;
    await unpackMeson(view, picked, needed, dir, log);
    return modules;
  }, log);
}

async function unpackMeson(view: ArchiveView, picked: ArchiveVersion, needed: string, dir: string, log: (line: string) => void): Promise<void> {
  log(`QEMU's configure needs meson >= ${needed}: unpacking Debian's meson ${picked.version} (${picked.suite}) into ${dir}`);
  const work = await tmpDir({ tmpdir: join(cacheRoot(), 'tools'), prefix: '.meson-', unsafeCleanup: true });
  try {
    await run('apt-get', [...view.options, 'download', '-q', `meson=${picked.version}`], { cwd: work.path, kind: 'environment', what: `apt-get download meson=${picked.version}` });
    const deb = (await readdir(work.path)).find((f) => f.endsWith('.deb'));
    if (!deb) throw environmentError(`apt-get download meson=${picked.version} fetched no package`);
    await run('dpkg-deb', ['-x', join(work.path, deb), join(work.path, 'root')], { kind: 'environment', what: 'dpkg-deb -x meson' });
    await rm(dir, { recursive: true, force: true });
    await rename(join(work.path, 'root'), dir);
  } finally {
    await work.cleanup().catch(() => {});
  }
}
