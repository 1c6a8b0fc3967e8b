import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { environmentError } from '../errors.js';
import { aptUpdate } from '../guest/apt.js';

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
  const derived: string[] = [];
  let hasDebSrc = false;
  const files = (await readdir(sourcesDir).catch(() => [] as string[])).map((f) => join(sourcesDir, f));
  for (const file of [...files, '/etc/apt/sources.list']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const types = stanza.match(/^Types:\s*(.*)$/im)?.[1]?.split(/\s+/) ?? [];
        if (types.includes('deb-src') && !/^Enabled:\s*no/im.test(stanza)) hasDebSrc = true;
        else if (types.includes('deb')) derived.push(stanza.trim().replace(/^Types:.*$/im, 'Types: deb-src'));
      }
    } else if (file.endsWith('.list')) {
      for (const line of text.split('\n')) {
        if (/^\s*deb-src\s/.test(line)) hasDebSrc = true;
        else if (/^\s*deb\s/.test(line)) derived.push(line.trim().replace(/^deb\s/, 'deb-src '));
      }
    }
  }
  // One-line entries cannot go in a deb822 file: keep them in the format they came in.
  return { hasDebSrc, derived: derived.map((d) => (d.startsWith('deb-src ') ? toDeb822(d) : d)) };
}

function toDeb822(line: string): string {
  const m = line.match(/^deb-src\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.*)$/);
  if (!m) return '';
  const options = m[1] ?? '';
  const signedBy = options.match(/signed-by=(\S+)/)?.[1];
  return [`Types: deb-src`, `URIs: ${m[2]}`, `Suites: ${m[3]}`, `Components: ${m[4]}`, ...(signedBy ? [`Signed-By: ${signedBy}`] : [])].join('\n');
}
