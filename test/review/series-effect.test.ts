import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readShows } from '../../harness/review/series-effect.js';
import { tempDir } from '../helpers.js';

async function seriesWith(shows: string | undefined): Promise<string> {
  const dir = join(await tempDir(), 'a-fix');
  await mkdir(dir);
  if (shows !== undefined) await writeFile(join(dir, 'shows.yaml'), shows);
  return dir;
}

t.test('a shows.yaml: where the bug shows and the phase it changes', async (t) => {
  const dir = await seriesWith('description: QEMU init with 2000 disks.\nmetric: qemuInitMs\ncase:\n  disks: 2000\n  until: qemu-init\n');
  const shows = await readShows(dir);
  t.equal(shows?.metric, 'qemuInitMs');
  t.same(shows?.case, { disks: 2000, until: 'qemu-init' });
  t.equal(await readShows(await seriesWith(undefined)), undefined, 'no file: no point, not an error');
});

t.test('a bad shows.yaml is refused with its file and field', async (t) => {
  const bad = async (text: string, message: RegExp) => t.rejects(readShows(await seriesWith(text)), message, text.split('\n')[1]);
  await bad('description: x\nmetric: bootMs\ncase: {disks: 1}\n', /shows\.yaml.*metric/);
  await bad('description: x\nmetric: qemuInitMs\n', /shows\.yaml.*case/);
  await bad('description: x\nmetric: qemuInitMs\ncase: {disks: 1, variants: [upstream]}\n', /shows\.yaml: case: variants: the two variants are the source as it is and with the series/);
  await bad('description: x\nmetric: qemuInitMs\ncase: {disks: 1}\nrepetitions: 3\n', /shows\.yaml.*repetitions/);
  await bad('description: x\nmetric: qemuInitMs\ncase: {disks: -4, until: qemu-init}\n', /shows\.yaml.*disks/);
  await bad('description: x\nmetric: qemuInitMs\ncase: {disk: 4}\n', /shows\.yaml.*disk/);
});
