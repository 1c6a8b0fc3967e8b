import t from 'tap';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lockRunDir } from '../../harness/journal/run-lock.js';
import { runCli, tempDir } from '../helpers.js';

// A bisect being resumed a second time while the first still runs: refused in one line, its
// directory as it was. (The lock is this test's own, taken as a running bisect takes it.)
t.test('a second bisect on the same directory is refused, naming the one that runs', async (t) => {
  const dir = await tempDir();
  const state = JSON.stringify({ version: 1, repo: dir, good: 'a'.repeat(40), bad: 'b'.repeat(40), goodRev: 'a', badRev: 'b', caseName: 'c', caseText: 'disks: 8\n', metric: 'totalMs', runs: { calibration: 5, step: 3, max: 7, verify: 3 }, commits: {} });
  await writeFile(join(dir, 'bisect.json'), state);
  const unlock = await lockRunDir(dir);
  t.teardown(unlock);
  const r = await runCli(['bisect', '--resume', dir]);
  t.equal(r.exitCode, 2);
  t.match(r.stderr, new RegExp(`another emuflock \\(pid ${process.pid}\\) is writing this run`));
  t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  t.notMatch(r.stderr, /\bat .*\.js:\d+/);
  t.equal(await readFile(join(dir, 'bisect.json'), 'utf8'), state, 'bisect.json untouched');
  t.same((await readdir(dir)).sort(), ['.lock', 'bisect.json'], 'nothing else written');
});

// A bisect.json edited by hand (or cut short by a full disk): refused before anything runs,
// naming the file, the line and the field, instead of a TypeError steps later.
t.test('a bisect.json with a bad field is refused at its line and field', async (t) => {
  const dir = await tempDir();
  const state = JSON.stringify(
    { version: 1, repo: dir, good: 'a'.repeat(40), bad: 'b'.repeat(40), goodRev: 'a', badRev: 'b', caseName: 'c', caseText: 'disks: 8\n', metric: 'totalMs', runs: { calibration: 5, step: 'three', max: 7, verify: 3 }, commits: {} },
    null,
    2,
  );
  await writeFile(join(dir, 'bisect.json'), state);
  const r = await runCli(['bisect', '--resume', dir]);
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /bisect\.json:13:13: runs\.step: .*number/);
  t.notMatch(r.stderr, /\bat .*\.js:\d+/, 'no stack trace');
  t.equal(await readFile(join(dir, 'bisect.json'), 'utf8'), state, 'bisect.json untouched');
  t.same(await readdir(dir), ['bisect.json'], 'nothing else written');

  await writeFile(join(dir, 'bisect.json'), state.slice(0, 100));
  const cut = await runCli(['bisect', '--resume', dir]);
  t.equal(cut.exitCode, 2);
  t.match(cut.stderr, /bisect\.json:\d+:\d+: JSON syntax error/, 'a truncated file is named, with where it ends');
});
