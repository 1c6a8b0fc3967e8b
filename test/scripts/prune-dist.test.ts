import t from 'tap';
import { execa } from 'execa';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers.js';

// A module moved or renamed leaves its compiled copy in dist/ (tsc never deletes outputs), where
// a test naming the old dist path still found it and passed here, and failed on a clean clone.
t.test('compiled files whose source is gone are removed, with their folders; the rest stay', async (t) => {
  const root = await tempDir();
  await mkdir(join(root, 'harness', 'run', 'host'), { recursive: true });
  await writeFile(join(root, 'harness', 'run', 'host', 'nic-host-check.ts'), '');
  const dist = join(root, 'dist', 'harness', 'run');
  await mkdir(join(dist, 'host'), { recursive: true });
  await mkdir(join(root, 'dist', 'harness', 'gone'), { recursive: true });
  for (const f of ['host/nic-host-check.js', 'host/nic-host-check.js.map', 'nic-host-check.js', 'nic-host-check.js.map', 'nic-host-check.d.ts']) await writeFile(join(dist, f), '');
  await writeFile(join(root, 'dist', 'harness', 'gone', 'old.js'), '');
  await writeFile(join(root, 'dist', '.tsbuildinfo'), '{}');
  await execa(process.execPath, [join(repoRoot, 'scripts', 'prune-dist.mjs')], { cwd: root });
  t.same((await readdir(dist)).sort(), ['host'], 'the moved module\'s old outputs are gone');
  t.same((await readdir(join(dist, 'host'))).sort(), ['nic-host-check.js', 'nic-host-check.js.map']);
  t.same((await readdir(join(root, 'dist', 'harness'))).sort(), ['run'], 'a folder left empty goes too');
  t.same(await readdir(join(root, 'dist')), ['.tsbuildinfo', 'harness'].sort(), "tsc's own state stays");
  await execa(process.execPath, [join(repoRoot, 'scripts', 'prune-dist.mjs')], { cwd: await tempDir() });
  t.pass('no dist/: nothing to do');
});
