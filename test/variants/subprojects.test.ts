import t from 'tap';
import type { Test } from 'tap';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fillSubprojects, requiredSubprojectsMissing } from '../../harness/variants/subprojects.js';
import { tempDir } from '../helpers.js';

const required = ['keycodemapdb', 'berkeley-softfloat-3', 'berkeley-testfloat-3'];

/** An empty XDG_CACHE_HOME for one test (the donors are the cached sources under it), restored after. */
async function emptyCache(t: Test): Promise<string> {
  const cache = await tempDir();
  const saved = process.env.XDG_CACHE_HOME;
  t.teardown(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });
  process.env.XDG_CACHE_HOME = cache;
  return cache;
}

/** A QEMU tree as a checkout has it: the wraps, and only the subprojects in `have`. */
async function tree(dir: string, version: string, have: string[], mark = version): Promise<string> {
  await mkdir(join(dir, 'subprojects'), { recursive: true });
  await writeFile(join(dir, 'VERSION'), `${version}\n`);
  for (const name of required) {
    await writeFile(join(dir, 'subprojects', `${name}.wrap`), '[wrap-git]\n');
    if (have.includes(name)) {
      await mkdir(join(dir, 'subprojects', name), { recursive: true });
      await writeFile(join(dir, 'subprojects', name, 'meson.build'), `# ${mark}\n`);
    }
  }
  return dir;
}

t.test('a checkout without subprojects gets them from the cached source nearest its release', async (t) => {
  const cache = await emptyCache(t);
  const sources = join(cache, 'emuflock', 'sources');
  await tree(join(sources, 'debian-qemu-7.2+dfsg-7', 'tree'), '7.2.22', required);
  await tree(join(sources, 'debian-qemu-10.2.2+ds-1', 'tree'), '10.2.2', required);
  await tree(join(sources, 'debian-qemu-10.0.13+ds-0', 'tree'), '10.0.13', ['keycodemapdb']);
  const checkout = await tree(join(await tempDir(), 'qemu'), '10.1.50', []);
  t.same(await requiredSubprojectsMissing(checkout), required);
  const filled = await fillSubprojects(checkout, '10.1.50');
  t.same(
    filled.map((d) => [d.name, d.from]),
    [
      ['keycodemapdb', 'the cached source debian-qemu-10.2.2+ds-1 (QEMU 10.2.2)'],
      ['berkeley-softfloat-3', 'the cached source debian-qemu-10.2.2+ds-1 (QEMU 10.2.2)'],
      ['berkeley-testfloat-3', 'the cached source debian-qemu-10.2.2+ds-1 (QEMU 10.2.2)'],
    ],
    '10.2 and 10.0 are one minor release from 10.1: the newer first',
  );
  t.equal(await readFile(join(checkout, 'subprojects', 'keycodemapdb', 'meson.build'), 'utf8'), '# 10.2.2\n');
  t.same(await requiredSubprojectsMissing(checkout), []);
});

t.test('EMUFLOCK_SUBPROJECTS comes first; with no donor the missing ones stay missing', async (t) => {
  const cache = await tempDir();
  const saved = { xdg: process.env.XDG_CACHE_HOME, named: process.env.EMUFLOCK_SUBPROJECTS };
  t.teardown(() => {
    if (saved.xdg === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved.xdg;
    if (saved.named === undefined) delete process.env.EMUFLOCK_SUBPROJECTS;
    else process.env.EMUFLOCK_SUBPROJECTS = saved.named;
  });
  process.env.XDG_CACHE_HOME = cache;
  const mine = await tree(join(await tempDir(), 'mine'), '9.0.0', ['keycodemapdb'], 'mine');
  process.env.EMUFLOCK_SUBPROJECTS = join(mine, 'subprojects');
  const checkout = await tree(join(await tempDir(), 'qemu'), '9.0.0', []);
  const filled = await fillSubprojects(checkout, '9.0.0');
  t.same(filled.map((d) => d.name), ['keycodemapdb']);
  t.match(filled[0]!.from, /^EMUFLOCK_SUBPROJECTS=/);
  t.same(await requiredSubprojectsMissing(checkout), ['berkeley-softfloat-3', 'berkeley-testfloat-3']);
});

// Up to 8.0 the same code came as git submodules: a checkout has .gitmodules and empty
// directories (QEMU 7.2's configure stops at "missing GIT submodules" without
// ui/keycodemapdb/README, even for --help). A cached source of either layout fills them.
t.test('a 7.2-era checkout gets its submodules from a cached source of the subproject layout', async (t) => {
  const cache = await emptyCache(t);
  await tree(join(cache, 'emuflock', 'sources', 'debian-qemu-10.0.13+ds-0', 'tree'), '10.0.13', required);
  const checkout = join(await tempDir(), 'qemu');
  const submodules = ['ui/keycodemapdb', 'tests/fp/berkeley-softfloat-3', 'tests/fp/berkeley-testfloat-3'];
  for (const dir of [...submodules, 'dtc']) await mkdir(join(checkout, dir), { recursive: true });
  await writeFile(join(checkout, 'VERSION'), '7.2.0\n');
  await writeFile(join(checkout, '.gitmodules'), [...submodules, 'dtc'].map((p) => `[submodule "${p}"]\n\tpath = ${p}\n\turl = https://example.invalid/${p}\n`).join(''));
  t.same(await requiredSubprojectsMissing(checkout), required, 'the three, named as in later releases; dtc is not needed');
  const filled = await fillSubprojects(checkout, '7.2.0');
  t.same(filled.map((d) => d.name), required);
  t.equal(await readFile(join(checkout, 'ui', 'keycodemapdb', 'meson.build'), 'utf8'), '# 10.0.13\n', 'copied into the submodule directory, not nested in it');
  t.same(await requiredSubprojectsMissing(checkout), []);
  t.same(await fillSubprojects(checkout, '7.2.0'), [], 'a tree that holds them is left alone');
});

// 7.2's ui/keycodemapdb has a meson.build of one line (project('keycodemapdb')): copied as 8.1's
// subproject, configure stopped at ui/meson.build: "Requested variable "keymaps_csv" not found".
t.test('a subproject is never taken from a submodule layout, whose meson.build is not the subproject one', async (t) => {
  const cache = await emptyCache(t);
  const old = join(cache, 'emuflock', 'sources', 'debian-qemu-7.2+dfsg-7', 'tree');
  await mkdir(join(old, 'ui', 'keycodemapdb'), { recursive: true });
  await writeFile(join(old, 'VERSION'), '7.2.22\n');
  await writeFile(join(old, 'ui', 'keycodemapdb', 'meson.build'), "project('keycodemapdb')\n");
  await tree(join(cache, 'emuflock', 'sources', 'debian-qemu-10.0.13+ds-0', 'tree'), '10.0.13', required);
  const checkout = await tree(join(await tempDir(), 'qemu'), '8.1.0', []);
  const filled = await fillSubprojects(checkout, '8.1.0');
  t.same(filled.map((d) => [d.name, d.from]), required.map((n) => [n, 'the cached source debian-qemu-10.0.13+ds-0 (QEMU 10.0.13)']), '7.2 is nearer 8.1, but holds no subprojects/');
  t.equal(await readFile(join(checkout, 'subprojects', 'keycodemapdb', 'meson.build'), 'utf8'), '# 10.0.13\n');
});
