import t from 'tap';
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seriesMatrix } from '../../harness/variants/series-matrix.js';
import { tempDir } from '../helpers.js';

// The matrix on a small QEMU-shaped history (VERSION and one source file) and a patches/ of four
// series: each series is applied alone, in its version for the source's release, onto the
// pristine source; the user's repository and the cached source are left as they were.
const git = (repo: string, ...args: string[]) => execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);

const patch = (from: string, to: string) => `diff --git a/hw/a.c b/hw/a.c\n--- a/hw/a.c\n+++ b/hw/a.c\n@@ -1,3 +1,3 @@\n int a;\n-${from}\n+${to}\n int c;\n`;

async function fixture() {
  const repo = join(await tempDir(), 'qemu');
  await mkdir(join(repo, 'hw'), { recursive: true });
  await execa('git', ['init', '-q', '-b', 'master', repo]);
  await writeFile(join(repo, 'VERSION'), '1.0.0\n');
  await writeFile(join(repo, 'hw', 'a.c'), 'int a;\nint b;\nint c;\n');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'Update version for v1.0.0 release');
  await writeFile(join(repo, 'VERSION'), '1.1.0\n');
  await writeFile(join(repo, 'hw', 'a.c'), 'int a;\nint b2;\nint c;\n');
  await git(repo, 'commit', '-qam', 'Update version for v1.1.0 release');

  const patches = join(await tempDir(), 'patches');
  const series = async (dir: string, body: string, readme = '# x\n') => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'series'), '0001-x.patch\n');
    await writeFile(join(dir, '0001-x.patch'), body);
    await writeFile(join(dir, '..', 'README.md'), readme);
  };
  // Written per release: a 1.0 and a 1.1 version, each against its own b.
  await series(join(patches, 'per-release', 'qemu-1.0'), patch('int b;', 'int b_fixed;'));
  await series(join(patches, 'per-release', 'qemu-1.1'), patch('int b2;', 'int b2_fixed;'));
  // One version for every release: its context is 1.0's, so 1.1 does not take it.
  await mkdir(join(patches, 'any-release'), { recursive: true });
  await writeFile(join(patches, 'any-release', 'series'), '0001-x.patch\n');
  await writeFile(join(patches, 'any-release', '0001-x.patch'), patch('int b;', 'int b_any;'));
  // A model of an old bug, for 1.0 only.
  await series(join(patches, 'old-bug', 'qemu-1.0'), patch('int b;', 'int b_slow;'), '# old-bug\n\n**This is a regression model, not a fix. Never ship it.**\n');
  await series(join(patches, 'new-fix', 'qemu-1.1'), patch('int b2;', 'int b2_new;'), '# new-fix\n\nA fix. Not needed on 1.0 (its\nbug came in 1.1).\n');
  return { repo, patches };
}

t.test('series × source: the version the release takes, applies or the hunk that does not, and why no version is needed', async (t) => {
  process.env.XDG_CACHE_HOME = await tempDir();
  const { repo, patches } = await fixture();
  const m = await seriesMatrix([`${repo}@v1.0.0`, `${repo}@master`], [], () => {}, patches);
  t.same(m.sources.map((s) => s.qemuVersion), ['1.0.0', '1.1.0']);
  const row = (name: string) => m.rows.find((r) => r.series === name)!.cells;
  t.same(m.rows.map((r) => r.series), ['any-release', 'new-fix', 'old-bug', 'per-release']);
  t.same(row('per-release'), [{ status: 'applies', version: '1.0' }, { status: 'applies', version: '1.1' }]);
  t.same(row('any-release')[0], { status: 'applies', version: 'any' });
  t.equal(row('any-release')[1]!.status, 'does not apply');
  t.match(row('any-release')[1]!.detail, /^patch 0001-x\.patch \(.*\): hw\/a\.c: hunk #1 \(@@ -1,3 \+1,3 @@\) does not apply$/);
  t.same(row('old-bug')[1], { status: 'no version', detail: 'has 1.0', why: 'a regression model (README), not a fix: no release but its own needs a version' });
  t.same(row('new-fix')[0], { status: 'no version', detail: 'has 1.1', why: 'Not needed on 1.0 (its bug came in 1.1).' });
  t.equal((await git(repo, 'status', '--porcelain')).stdout, '', "the user's repository is untouched");

  await t.rejects(seriesMatrix([`${repo}@master`], ['no-such'], () => {}, patches), { kind: 'input', message: /no series no-such in .* \(there are: any-release, new-fix, old-bug, per-release\)/ });
});
