import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../core/exec.js';
import { environmentError } from '../core/errors.js';
import { cacheRoot } from '../core/paths.js';

/**
 * Debian's archive as a source of guest assets: foreign-architecture packages are downloaded
 * and unpacked, never installed. Only the machine's own apt configuration is used.
 */

const isRoot = () => process.getuid?.() === 0;

export async function foreignArchEnabled(arch: string): Promise<boolean> {
  const native = await run('dpkg', ['--print-architecture']);
  if (native.trim() === arch) return true;
  const foreign = await run('dpkg', ['--print-foreign-architectures']);
  return foreign.split('\n').includes(arch);
}

/** Enables a foreign architecture (as root) so that `apt-get download pkg:arch` works. */
export async function ensureForeignArch(arch: string, log: (line: string) => void): Promise<void> {
  if (await foreignArchEnabled(arch)) return;
  if (!isRoot()) {
    throw environmentError(
      `guest assets need Debian's ${arch} packages; enable the architecture with:\n` +
        `  sudo dpkg --add-architecture ${arch} && sudo apt-get update`,
    );
  }
  log(`enabling Debian's ${arch} architecture for guest kernel downloads (dpkg --add-architecture ${arch}; apt-get update)`);
  await run('dpkg', ['--add-architecture', arch], { kind: 'environment' });
  await aptUpdate();
}

export async function aptUpdate(): Promise<void> {
  if (!isRoot()) throw environmentError('apt package lists are out of date; run: sudo apt-get update');
  await run('apt-get', ['update', '-q'], { kind: 'environment', what: 'apt-get update' });
}

export interface PackageRecord {
  package: string;
  version: string;
  depends: string;
}

/** The candidate record of each package, from one `apt-cache show` (fast: no network). */
export async function showPackages(names: string[]): Promise<Map<string, PackageRecord>> {
  const out = await run('apt-cache', ['show', '--no-all-versions', ...names], { kind: 'environment' });
  const records = new Map<string, PackageRecord>();
  for (const stanza of out.split(/\n\s*\n/)) {
    const field = (name: string) => stanza.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1]?.trim() ?? '';
    const pkg = field('Package');
    const arch = field('Architecture');
    if (pkg) records.set(`${pkg}:${arch}`, { package: pkg, version: field('Version'), depends: field('Depends') });
  }
  return records;
}

/** Downloads exact package versions into `dir` (apt-get download names the .deb files itself). */
export async function downloadPackages(specs: string[], dir: string): Promise<void> {
  await run('apt-get', ['download', '-q', ...specs], { cwd: dir, kind: 'environment', what: 'downloading guest packages' });
}

/**
 * Remembers the answer of a slow apt query for as long as the package lists stay unchanged
 * (apt-get update rewrites them), so cached work costs milliseconds, not an apt-cache call.
 */
export async function memoByAptLists<T>(name: string, compute: () => Promise<T>): Promise<T> {
  const file = join(cacheRoot(), 'apt-answers', `${name}.json`);
  const stamp = await aptListsStamp();
  const remembered = await readFile(file, 'utf8').then(
    (t) => JSON.parse(t) as { stamp: string; value: T },
    () => undefined,
  );
  if (remembered && remembered.stamp === stamp) return remembered.value;
  const value = await compute();
  await mkdir(join(cacheRoot(), 'apt-answers'), { recursive: true });
  await writeFile(`${file}.${process.pid}.tmp`, JSON.stringify({ stamp: await aptListsStamp(), value }));
  await rename(`${file}.${process.pid}.tmp`, file);
  return value;
}

async function aptListsStamp(): Promise<string> {
  const lists = '/var/lib/apt/lists';
  const names = (await readdir(lists).catch(() => [] as string[])).filter((n) => /_(Packages|Sources)(\.\w+)?$/.test(n));
  const stats = await Promise.all(names.map(async (n) => `${n}:${(await stat(join(lists, n))).mtimeMs}`));
  return stats.sort().join('|');
}
