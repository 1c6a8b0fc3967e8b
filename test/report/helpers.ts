import { loadImage, createCanvas } from 'canvas';
import { execa } from 'execa';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers.js';
import type { Observation } from '../../harness/record/observation.js';

/** A real run of cases/seed-drain.yaml: unfixed, fixed, upstream at 250/500/1000 disks, 3 repetitions (2 unfixed trials at 1000 disks timed out). */
export const seedDrainFixture = join(repoRoot, 'test', 'fixtures', 'runs', 'seed-drain');
export const seedDrainVariants = ['unfixed', 'fixed', 'upstream'];

/** A writable copy of a fixture run directory, so a test's report never lands in the repository. */
export async function copyRun(from = seedDrainFixture): Promise<string> {
  const dir = join(await tempDir('emuflock-report-'), 'run');
  await cp(from, dir, { recursive: true });
  return dir;
}

export async function fixtureObservations(): Promise<Observation[]> {
  const text = await readFile(join(seedDrainFixture, 'journal.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Observation);
}

/** A run directory holding the fixture's run.json and the given trials as its journal. */
export async function runWith(observations: Observation[]): Promise<string> {
  const dir = join(await tempDir('emuflock-report-'), 'run');
  await mkdir(dir, { recursive: true });
  // A case the observations name that the fixture lacks gets run.json's case under that name:
  // a journal's lines must belong to the run's cases (journal/run-identity.ts).
  const manifest = JSON.parse(await readFile(join(seedDrainFixture, 'run.json'), 'utf8')) as { cases: { name: string; file: string }[] };
  for (const name of new Set(observations.map((o) => o.case))) {
    if (!manifest.cases.some((c) => c.name === name)) manifest.cases.push({ ...manifest.cases[0]!, name, file: `cases/${name}.yaml` });
  }
  await writeFile(join(dir, 'run.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(dir, 'journal.jsonl'), observations.map((o) => JSON.stringify(o) + '\n').join(''));
  return dir;
}

/**
 * The fixture with made-up KVM irq counts (the real run, under TCG, has none): per boot, the
 * `unfixed` variant commits once per route, the others once per device, and `upstream` falls
 * back to userspace for 2 disks at 1000 disks.
 */
export async function withSyntheticCounts(): Promise<Observation[]> {
  return (await fixtureObservations()).map((o) => {
    const d = o.params.disks;
    return {
      ...o,
      counts: {
        routeCommits: o.variant.name === 'unfixed' ? 2 * d + 1 : d + 1,
        routesAdded: 2 * d,
        routesReleased: 0,
        irqfdNotifies: 10 * d,
        userspaceNotifies: 0,
        irqfdFallbacks: o.variant.name === 'upstream' && d === 1000 ? 2 : 0,
      },
    };
  });
}

export interface PngFacts {
  width: number;
  height: number;
  /** Distinct colours, RGB quantised to 4 bits per channel: a blank or one-colour image has 1. */
  colours: number;
  /** Share of pixels that are not the top-left pixel's colour (the background). */
  inked: number;
}

export async function inspectPng(png: Buffer | string): Promise<PngFacts> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  const colours = new Set<number>();
  let inked = 0;
  const bg = [data[0], data[1], data[2]];
  for (let i = 0; i < data.length; i += 4) {
    colours.add(((data[i]! >> 4) << 8) | ((data[i + 1]! >> 4) << 4) | (data[i + 2]! >> 4));
    if (data[i] !== bg[0] || data[i + 1] !== bg[1] || data[i + 2] !== bg[2]) inked++;
  }
  return { width: image.width, height: image.height, colours: colours.size, inked: inked / (image.width * image.height) };
}

/**
 * Throws unless `text` is well-formed XML: one root, every tag closed in order, attributes
 * quoted, entities known. Small on purpose (Node has no XML parser and the project adds no
 * dependency for tests); it checks what a renderer or an escaping bug could break.
 */
export function assertWellFormedXml(text: string): void {
  let rest = text.replace(/^\uFEFF/, '').replace(/^<\?xml[^?]*\?>/, '');
  const stack: string[] = [];
  let roots = 0;
  const fail = (why: string) => {
    throw new Error(`not well-formed XML: ${why} near ${JSON.stringify(rest.slice(0, 80))}`);
  };
  const checkText = (t: string) => {
    for (const m of t.matchAll(/&([^;\s]*);?/g)) {
      if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(m[0])) fail(`bad entity ${m[0]}`);
    }
    if (t.includes('<')) fail('stray <');
  };
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const chunk = lt < 0 ? rest : rest.slice(0, lt);
    checkText(chunk);
    if (stack.length === 0 && chunk.trim() !== '') fail('text outside the root element');
    if (lt < 0) break;
    rest = rest.slice(lt);
    if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      if (end < 0) fail('unclosed comment');
      rest = rest.slice(end + 3);
      continue;
    }
    if (rest.startsWith('<![CDATA[')) {
      const end = rest.indexOf(']]>');
      if (end < 0) fail('unclosed CDATA');
      rest = rest.slice(end + 3);
      continue;
    }
    const tag = rest.match(/^<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/);
    if (!tag) fail('malformed tag');
    const [whole, closing, name, attrs, selfClosing] = tag!;
    checkText((attrs ?? '').replace(/\s+[\w.:-]+\s*=\s*/g, ' ').replace(/["']/g, ''));
    const names = [...(attrs ?? '').matchAll(/\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"[^"]*"|'[^']*')/g)].map((m) => m[1]);
    if (new Set(names).size !== names.length) fail(`duplicate attribute in <${name}>`);
    if (closing) {
      if (stack.pop() !== name) fail(`</${name}> closes the wrong element`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
    rest = rest.slice(whole.length);
  }
  if (stack.length > 0) fail(`unclosed <${stack.pop()}>`);
  if (roots !== 1) fail(`${roots} root elements`);
}

export const chromiumPath = '/usr/bin/chromium';

/** Headless Chromium as the tests use it: no network, no first-run work, a profile of its own. */
export async function chromium(args: string[]) {
  const profile = await tempDir('emuflock-chromium-');
  return execa(
    chromiumPath,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--enable-logging=stderr',
      '--v=0',
      ...args,
    ],
    { reject: false, timeout: 60_000 },
  );
}
