import t from 'tap';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, runCli, tempDir } from '../helpers.js';

// emuflock mail with the real checkpatch.pl of Debian's QEMU 7.2 source.

t.test('a fix series as mail: cover letter [PATCH 0/1], checkpatch clean, no Signed-off-by unless asked', async (t) => {
  const dir = await tempDir();
  // An earlier, longer version's mails in the folder: `git send-email out/*` must not send its 0002.
  await mkdir(join(dir, 'out'));
  await writeFile(join(dir, 'out', '0002-blockdev-an-older-version-s-second-patch.patch'), 'Subject: [PATCH 2/2] old\n');
  const r = await runCli(['mail', 'drive-unit-lookup', '--base', 'upstream', '-o', 'out', '--results', join(dir, 'no-results')], { cwd: dir });
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, /checkpatch\.pl 0001-blockdev-.*: total: 0 errors, 0 warnings/);
  const files = (await readdir(join(dir, 'out'))).sort();
  t.same(files, ['0000-cover-letter.patch', '0001-blockdev-Find-a-free-drive-unit-without-a-drive_get-.patch'], 'the older version\'s mails are replaced, not kept beside');
  const cover = await readFile(join(dir, 'out', files[0]!), 'utf8');
  t.match(cover, /^Subject: \[PATCH 0\/1\] blockdev: Find a free drive unit without a drive_get\(\) per candidate$/m);
  t.match(cover, /No run in no-results compared drive-unit-lookup with a base yet/);
  t.notMatch(await readFile(join(dir, 'out', files[1]!), 'utf8'), /Signed-off-by:/);

  const gitconfig = join(dir, 'gitconfig');
  await writeFile(gitconfig, '[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n');
  const signed = await runCli(['mail', 'drive-unit-lookup', '--base', 'upstream', '--signoff', '-o', 'signed'], { cwd: dir, env: { GIT_CONFIG_GLOBAL: gitconfig } });
  t.equal(signed.exitCode, 0, signed.stderr);
  t.match(await readFile(join(dir, 'signed', files[1]!), 'utf8'), /^Signed-off-by: Ada Lovelace <ada@example\.org>$/m);
});

t.test('the cover letter carries the latest run that compared the series', async (t) => {
  const dir = await tempDir();
  const results = join(dir, 'results');
  await mkdir(results);
  await cp(join(repoRoot, 'test/fixtures/runs/seed-drain'), join(results, '20261126-051305-seed-drain'), { recursive: true });
  const r = await runCli(['mail', 'drain-per-bds', '--base', 'fixed', '-o', 'out', '--results', results], { cwd: dir });
  t.match(r.stdout, /cover letter: measured by .*20261126-051305-seed-drain/, r.stderr);
  const cover = await readFile(join(dir, 'out', '0000-cover-letter.patch'), 'utf8').catch(() => '');
  t.match(cover, /Measured with emuflock \(run 20261126-051305-seed-drain/);
  t.match(cover, /disks=1000: base fixed, series unfixed/);
  t.ok(cover.split('\n').every((l) => l.length <= 72 || /^Subject:|^ hw\//.test(l)), 'the blurb fits 72 columns');
});

t.test('checkpatch.pl findings fail the command and nothing is written', async (t) => {
  const dir = await tempDir();
  const root = join(dir, 'patches');
  await mkdir(join(root, 'bad-style'), { recursive: true });
  const good = await readFile(join(repoRoot, 'patches/drive-unit-lookup/qemu-7.2/0001-blockdev-Find-a-free-drive-unit-without-a-drive_get-.patch'), 'utf8');
  // Same change, one added line with a C99 comment and a trailing space.
  const bad = good.replace('+    GLOBAL_STATE_CODE();\n', '+    GLOBAL_STATE_CODE(); // walk twice \n').replace(/^@@ -235,6 \+236,65 @@/m, '@@ -235,6 +236,65 @@');
  await writeFile(join(root, 'bad-style', '0001-bad.patch'), bad);
  await writeFile(join(root, 'bad-style', 'series'), '0001-bad.patch\n');
  const r = await runCli(['mail', 'bad-style', '--base', 'debian', '-o', 'out', '--variants', join(repoRoot, 'patches/variants.yaml')], {
    cwd: dir,
    env: { EMUFLOCK_PATCHES: root },
  });
  t.equal(r.exitCode, 1, r.stderr);
  t.match(r.stderr, /emuflock: checkpatch\.pl \(of debian\) finds problems in 1 of 1 patch of bad-style; nothing written to out/);
  t.match(r.stderr, /ERROR: do not use C99 \/\/ comments/);
  t.same(await readdir(join(dir, 'out')).catch(() => 'absent'), 'absent');
});
