import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentError, inputError } from '../core/errors.js';
import { run } from '../core/exec.js';
import { writeAtomic } from '../core/files.js';
import { cacheRoot } from '../core/paths.js';
import { withLock } from '../core/dir-lock.js';
import { readAptSourceFiles } from './deb-src.js';

/**
 * emuflock's own view of the Debian archive the machine already uses: the same mirrors and
 * keys as the machine's `deb` entries, widened to the suites a QEMU source or a newer meson
 * can come from (the release's backports, stable and its backports, testing, unstable), for sources and
 * binaries. It lives in the cache with its own package lists, so the host's apt
 * configuration and state are never changed: nothing from another suite can be installed
 * on the host by accident, and no root is needed.
 */
export interface ArchiveView {
  /** apt-get / apt-cache options selecting the view. */
  options: string[];
}

/**
 * Suites every Debian archive serves by these names, whatever the codenames of the day; the
 * stable release's backports too (a newer QEMU for the stable release than stable's own).
 */
const aliasSuites = ['stable', 'stable-backports', 'testing', 'unstable'];

/** Package lists older than this are refreshed before a version is looked up. */
const maxListAgeMs = 24 * 3600 * 1000;

function viewDir(): string {
  return join(cacheRoot(), 'apt');
}

export function viewOptions(dir = viewDir()): string[] {
  return [
    `Dir::State=${dir}/state`,
    `Dir::State::Lists=${dir}/lists`,
    `Dir::State::status=/var/lib/dpkg/status`,
    `Dir::Cache=${dir}/cache`,
    'Dir::Etc::SourceList=/dev/null',
    `Dir::Etc::SourceParts=${dir}/sources.list.d`,
    'Dir::Etc::Preferences=/dev/null',
    `Dir::Etc::PreferencesParts=${dir}/preferences.d`,
    'Acquire::Languages=none',
    // Private lists need no lock shared with the host's apt.
    'Debug::NoLocking=1',
  ].flatMap((o) => ['-o', o]);
}

/**
 * Deb822 stanzas for the view, from the machine's apt source files: each `deb` entry of the
 * Debian archive keeps its URIs, components and key, and gains deb-src plus the extra suites.
 * Security entries keep their own suites (the archive's layout differs there).
 */
export function viewStanzas(files: { path: string; text: string }[]): string[] {
  const stanzas: string[] = [];
  for (const entry of debEntries(files)) {
    const release = entry.suites.find((s) => /^[a-z]+$/.test(s) && !aliasSuites.includes(s));
    const security = entry.suites.some((s) => s.endsWith('-security'));
    const suites = security || !release ? entry.suites : [...new Set([...entry.suites, `${release}-backports`, ...aliasSuites])];
    stanzas.push(
      [
        'Types: deb deb-src',
        `URIs: ${entry.uris.join(' ')}`,
        `Suites: ${suites.join(' ')}`,
        `Components: ${entry.components.join(' ')}`,
        ...(entry.signedBy ? [`Signed-By: ${entry.signedBy}`] : []),
      ].join('\n'),
    );
  }
  return stanzas;
}

interface DebEntry {
  uris: string[];
  suites: string[];
  components: string[];
  signedBy?: string;
}

function debEntries(files: { path: string; text: string }[]): DebEntry[] {
  const entries: DebEntry[] = [];
  for (const { path, text } of files) {
    if (path.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name: string) => stanza.match(new RegExp(`^${name}:\\s*(.*)$`, 'im'))?.[1]?.trim();
        if (/^Enabled:\s*no/im.test(stanza) || !(field('Types') ?? '').split(/\s+/).includes('deb')) continue;
        const words = (name: string) => (field(name) ?? '').split(/\s+/).filter(Boolean);
        const signedBy = field('Signed-By');
        entries.push({ uris: words('URIs'), suites: words('Suites'), components: words('Components'), ...(signedBy ? { signedBy } : {}) });
      }
    } else if (path.endsWith('.list')) {
      for (const line of text.split('\n')) {
        const m = line.trim().match(/^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.*)$/);
        if (!m) continue;
        const signedBy = m[1]?.match(/signed-by=(\S+)/)?.[1];
        entries.push({ uris: [m[2]!], suites: [m[3]!], components: m[4]!.split(/\s+/), ...(signedBy ? { signedBy } : {}) });
      }
    }
  }
  return entries.filter((e) => e.uris.length && e.suites.length && e.components.length);
}

/** The view, its package lists fetched when missing or a day old (or when `refresh` is set). */
export async function archiveView(log: (line: string) => void, refresh = false): Promise<ArchiveView> {
  const dir = viewDir();
  const stanzas = viewStanzas(await readAptSourceFiles());
  if (stanzas.length === 0) throw environmentError('apt has no Debian package sources (deb entries) to find other QEMU versions from');
  for (const sub of ['state', 'lists/partial', 'cache/archives/partial', 'sources.list.d', 'preferences.d']) await mkdir(join(dir, sub), { recursive: true });
  const options = viewOptions(dir);
  // The view's lists take no apt lock of their own (Debug::NoLocking): two emuflocks must not
  // rewrite them at once, so the check and the update happen under emuflock's own lock.
  await withLock(dir, (owner) => log(`waiting for another emuflock updating ${dir} (pid ${owner})`), async () => {
    const sources = join(dir, 'sources.list.d', 'archive.sources');
    const text = stanzas.join('\n\n') + '\n';
    const changed = (await readFile(sources, 'utf8').catch(() => '')) !== text;
    if (changed) await writeAtomic(sources, text);
    if (refresh || changed || (await listsAgeMs(join(dir, 'lists'))) > maxListAgeMs) {
      log('updating emuflock\'s package lists of the Debian archive (other suites than the host\'s; ~80 MB, once a day)');
      await run('apt-get', [...options, 'update', '-q'], { kind: 'environment', what: 'apt-get update (emuflock\'s archive view)' });
    }
  }, log);
  return { options };
}

async function listsAgeMs(lists: string): Promise<number> {
  const names = (await readdir(lists).catch(() => [] as string[])).filter((n) => n.endsWith('Release'));
  if (names.length === 0) return Infinity;
  const newest = Math.max(...(await Promise.all(names.map(async (n) => (await stat(join(lists, n))).mtimeMs))));
  return Date.now() - newest;
}

export interface ArchiveVersion {
  version: string;
  /** The suite as the view names it ("unstable", "bookworm-backports"). */
  suite: string;
}

/** Every version of a source (`Sources`) or binary (`Packages`) package the view knows. */
export async function archiveVersions(view: ArchiveView, pkg: string, kind: 'Sources' | 'Packages'): Promise<ArchiveVersion[]> {
  const out = await run('apt-cache', [...view.options, 'madison', pkg], { kind: 'environment', what: `apt-cache madison ${pkg}` });
  const found: ArchiveVersion[] = [];
  for (const line of out.split('\n')) {
    const cols = line.split('|').map((c) => c.trim());
    const where = cols[2]?.match(/\s(\S+)\/\S+\s+(?:\S+\s+)?(\S+)$/);
    if (cols[0] === pkg && where && where[2]!.startsWith(kind === 'Sources' ? 'Sources' : 'Packages')) found.push({ version: cols[1]!, suite: where[1]! });
  }
  return found;
}

/**
 * The version a `debian:WHAT` source names: an exact version (the epoch may be left out), or a
 * suite by alias or codename, meaning the newest version that suite lists.
 */
export function pickSourceVersion(what: string, versions: ArchiveVersion[], codenames: Map<string, string>): ArchiveVersion | undefined {
  const bare = (v: string) => v.replace(/^\d+:/, '');
  const exact = versions.find((v) => v.version === what || bare(v.version) === what);
  if (exact) return exact;
  const suite = codenames.get(what) ?? what;
  const inSuite = versions.filter((v) => v.suite === suite);
  return inSuite.sort((a, b) => compareDebianVersions(b.version, a.version))[0];
}

/** dpkg's ordering, enough for QEMU's versions: epoch, then upstream and revision piecewise. */
export function compareDebianVersions(a: string, b: string): number {
  const split = (v: string) => {
    const m = v.match(/^(?:(\d+):)?(.*)$/)!;
    return [Number(m[1] ?? 0), m[2]!] as const;
  };
  const [ea, ra] = split(a);
  const [eb, rb] = split(b);
  if (ea !== eb) return ea - eb;
  return comparePieces(ra, rb);
}

function comparePieces(a: string, b: string): number {
  const order = (c: string | undefined) => (c === undefined ? 0 : c === '~' ? -1 : /[A-Za-z]/.test(c) ? c.charCodeAt(0) : c.charCodeAt(0) + 256);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !/\d/.test(a[i]!)) || (j < b.length && !/\d/.test(b[j]!))) {
      const ca = i < a.length && !/\d/.test(a[i]!) ? a[i] : undefined;
      const cb = j < b.length && !/\d/.test(b[j]!) ? b[j] : undefined;
      if (order(ca) !== order(cb)) return order(ca) - order(cb);
      if (ca !== undefined) i++;
      if (cb !== undefined) j++;
    }
    const na = a.slice(i).match(/^\d*/)![0];
    const nb = b.slice(j).match(/^\d*/)![0];
    if (Number(na || 0) !== Number(nb || 0)) return Number(na || 0) - Number(nb || 0);
    i += na.length;
    j += nb.length;
  }
  return 0;
}

/** Suite codenames to the names the view uses ("sid" → "unstable"), from the lists' Release files. */
export async function suiteCodenames(): Promise<Map<string, string>> {
  const lists = join(viewDir(), 'lists');
  const map = new Map<string, string>();
  for (const name of (await readdir(lists).catch(() => [] as string[])).filter((n) => /_(In)?Release$/.test(n))) {
    const text = await readFile(join(lists, name), 'utf8').catch(() => '');
    const suite = text.match(/^Suite:\s*(\S+)/m)?.[1];
    const codename = text.match(/^Codename:\s*(\S+)/m)?.[1];
    if (suite && codename) {
      map.set(codename, suite);
      map.set(suite, suite);
    }
  }
  return map;
}

/** Resolves `debian:WHAT` to one source version, saying which versions exist when none matches. */
export async function resolveSourceVersion(what: string, log: (line: string) => void): Promise<{ view: ArchiveView; version: string; suite: string }> {
  let view = await archiveView(log);
  let versions = await archiveVersions(view, 'qemu', 'Sources');
  let picked = pickSourceVersion(what, versions, await suiteCodenames());
  if (!picked) {
    // A version published since the lists were fetched: look once more before refusing.
    view = await archiveView(log, true);
    versions = await archiveVersions(view, 'qemu', 'Sources');
    picked = pickSourceVersion(what, versions, await suiteCodenames());
  }
  if (!picked) {
    const known = versions.map((v) => `${v.version} (${v.suite})`).join(', ');
    throw inputError(`source debian:${what}: Debian's archive has no qemu source of that version or suite (it has: ${known || 'none'})`);
  }
  return { view, ...picked };
}

/**
 * Which of these source versions the archive's mirror actually serves: a version can be listed
 * (its Sources entry is there) while its files answer 404, as a mirror that lags or prunes does.
 * Each version's .dsc (a few kB) is fetched through apt's own configuration (apt-helper:
 * proxies and authentication as apt has them), never from a host named here.
 */
export async function servedSourceVersions(view: ArchiveView, versions: readonly ArchiveVersion[]): Promise<ArchiveVersion[]> {
  const served: ArchiveVersion[] = [];
  const scratch = await mkdtemp(join(tmpdir(), 'emuflock-dsc-'));
  try {
    for (const v of versions) {
      const uris = await run('apt-get', [...view.options, 'source', '--print-uris', '-q', `qemu=${v.version}`]).catch(() => '');
      const dsc = uris.match(/^'([^']+\.dsc)'/m)?.[1];
      if (!dsc) continue;
      const ok = await run('/usr/lib/apt/apt-helper', [...view.options, 'download-file', dsc, join(scratch, 'probe.dsc')]).then(() => true, () => false);
      if (ok && !served.some((s) => s.version === v.version)) served.push(v);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return served;
}
