import { readdir } from 'node:fs/promises';
import { dir as tmpDir } from 'tmp-promise';
import { run } from '../core/exec.js';
import { EmuflockError, environmentError } from '../core/errors.js';
import { memoByAptLists } from '../debian/apt.js';
import { archiveVersions, resolveSourceVersion, servedSourceVersions } from '../debian/debian-archive.js';
import { ensureDebSrc } from '../debian/deb-src.js';
import { cachedSourceRepo, sourcesDir, unpackedSource, type SourceTree } from './source-repo.js';

/**
 * The default source: Debian's qemu source package, the same code as the `system` variant's
 * binary, with Debian's own patches applied (dpkg-source -x). Fetched with apt, never from a
 * hard-coded mirror.
 */
export async function debianQemuSource(log: (line: string) => void): Promise<SourceTree> {
  await ensureDebSrc(log);
  const version = await memoByAptLists('qemu-source-version', candidateSourceVersion);
  return unpackedDebianSource(version, [], 'qemu', log);
}

/**
 * `debian:WHAT`: another Debian version of qemu, by version (`debian:1:10.2.2+ds-1`, the epoch
 * may be left out) or by suite (`debian:unstable`, `debian:sid`), from any suite of the
 * machine's own Debian mirror, through emuflock's private view of the archive.
 */
export async function debianQemuSourceOf(what: string, log: (line: string) => void): Promise<SourceTree> {
  // An exact version unpacked before needs no look at the archive (a suite name always does:
  // what it names moves on).
  const known = /\d/.test(what) ? await unpackedSource(`debian-qemu-${what.replace(/^\d+:/, '')}`) : undefined;
  if (known) return known;
  const { view, version, suite } = await resolveSourceVersion(what, log);
  log(`source debian:${what}: qemu ${version} from ${suite}`);
  return unpackedDebianSource(version.replace(/^\d+:/, ''), view.options, `qemu=${version}`, log).catch(async (e: unknown) => {
    if (!(e instanceof EmuflockError && /\b404\b|Failed to fetch/.test(e.message))) throw e;
    // apt's own lines (one per file, each with the mirror's whole URL) say less than this one.
    const listed = await archiveVersions(view, 'qemu', 'Sources');
    const served = await servedSourceVersions(view, listed.filter((v) => v.version !== version));
    throw environmentError(
      `source debian:${what}: qemu ${version} (${suite}) is listed by the archive but not served (its files answer 404); served: ${served.map((v) => `${v.version} (${v.suite})`).join(', ') || 'none'}`,
    );
  });
}

/** Fetches and unpacks one qemu source version once; `version` without its epoch, as the .dsc name has it. */
async function unpackedDebianSource(version: string, aptOptions: string[], request: string, log: (line: string) => void): Promise<SourceTree> {
  return cachedSourceRepo(`debian-qemu-${version}`, `Debian qemu ${version}`, async (tree) => {
    log(`fetching Debian's qemu ${version} source (apt-get source; ~25-40 MB, once)`);
    const dl = await tmpDir({ tmpdir: sourcesDir(), prefix: '.download-', unsafeCleanup: true });
    try {
      await run('apt-get', [...aptOptions, 'source', '--download-only', '-q', request], { cwd: dl.path, kind: 'environment', what: `apt-get source ${request}` });
      const dsc = `qemu_${version}.dsc`;
      if (!(await readdir(dl.path)).includes(dsc)) {
        throw environmentError(`apt-get source ${request} did not fetch ${dsc} (did apt-get update run meanwhile?); run the command again`);
      }
      await run('dpkg-source', ['--no-check', '-x', dsc, tree], { cwd: dl.path, what: 'dpkg-source -x' });
    } finally {
      await dl.cleanup();
    }
  });
}

/** The version `apt-get source qemu` would fetch (the newest candidate across suites). */
async function candidateSourceVersion(): Promise<string> {
  const out = await run('apt-get', ['source', '--print-uris', '-q', 'qemu'], { kind: 'environment', what: 'apt-get source --print-uris qemu' });
  const dsc = out.match(/\sqemu_(\S+)\.dsc\s/);
  if (!dsc) throw environmentError("apt knows no qemu source package: check the deb-src entries and run apt-get update");
  // The .dsc name drops the epoch; versions compare the same without it within one package.
  return dsc[1]!;
}
