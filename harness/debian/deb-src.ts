import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { environmentError } from '../core/errors.js';
import { aptUpdate } from './apt.js';

const sourcesDir = '/etc/apt/sources.list.d';
const ourFile = join(sourcesDir, 'emuflock-deb-src.sources');

/**
 * `apt-get source` needs deb-src entries, which Debian images often lack. They are derived
 * from the machine's own `deb` entries (same URIs, suites, components and keys), so whatever
 * mirror or snapshot the machine uses is the one the source comes from.
 */
export async function ensureDebSrc(log: (line: string) => void): Promise<void> {
  const { hasDebSrc, derived } = await inspectAptSources();
  if (hasDebSrc) return;
  if (derived.length === 0) {
    throw environmentError('apt has no Debian package sources to derive deb-src entries from; add a deb-src entry for Debian and run apt-get update');
  }
  const text = derived.join('\n\n') + '\n';
  if (process.getuid?.() !== 0) {
    throw environmentError(
      `building QEMU from Debian's source needs deb-src entries in apt; add them with:\n` +
        `  sudo tee ${ourFile} <<'END'\n${text}END\n  sudo apt-get update`,
    );
  }
  log(`adding deb-src entries derived from the existing apt sources (${ourFile}); apt-get update`);
  await writeFile(ourFile, text);
  await aptUpdate();
}

async function inspectAptSources(): Promise<{ hasDebSrc: boolean; derived: string[] }> {
  return deriveDebSrc(await readAptSourceFiles());
}

/** The machine's apt source files, deb822 and one-line, with their text. */
export async function readAptSourceFiles(): Promise<{ path: string; text: string }[]> {
  const names = (await readdir(sourcesDir).catch(() => [] as string[])).map((f) => join(sourcesDir, f));
  const files = [];
  for (const path of [...names, '/etc/apt/sources.list']) {
    files.push({ path, text: await readFile(path, 'utf8').catch(() => '') });
  }
  return files;
}

/** From apt source files (deb822 `.sources` or one-line `.list`): is there a deb-src, and what to add. */
export function deriveDebSrc(files: { path: string; text: string }[]): { hasDebSrc: boolean; derived: string[] } {
  const derived: string[] = [];
  let hasDebSrc = false;
  for (const { path, text } of files) {
    if (path.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const types = stanza.match(/^Types:\s*(.*)$/im)?.[1]?.split(/\s+/) ?? [];
        if (/^Enabled:\s*no/im.test(stanza)) continue;
        if (types.includes('deb-src')) hasDebSrc = true;
        else if (types.includes('deb')) derived.push(stanza.trim().replace(/^Types:.*$/im, 'Types: deb-src'));
      }
    } else if (path.endsWith('.list')) {
      for (const line of text.split('\n')) {
        if (/^\s*deb-src\s/.test(line)) hasDebSrc = true;
        else if (/^\s*deb\s/.test(line)) derived.push(toDeb822(line.trim().replace(/^deb\s/, 'deb-src ')));
      }
    }
  }
  return { hasDebSrc, derived: derived.filter(Boolean) };
}

function toDeb822(line: string): string {
  const m = line.match(/^deb-src\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.*)$/);
  if (!m) return '';
  const options = m[1] ?? '';
  const signedBy = options.match(/signed-by=(\S+)/)?.[1];
  return [`Types: deb-src`, `URIs: ${m[2]}`, `Suites: ${m[3]}`, `Components: ${m[4]}`, ...(signedBy ? [`Signed-By: ${signedBy}`] : [])].join('\n');
}
