import t from 'tap';
import { join } from 'node:path';
import { listFiles, runCli, tempDir, writeCase } from '../helpers.js';

// A new user's mistakes, through the real CLI: exit 2, one line naming file, line and field,
// no stack trace, and nothing written to the results directory.
const mistakes: [string, string, RegExp][] = [
  ['unknown-key', 'disks: 8\nrepetition: 3\n', /unknown-key\.yaml:2:1: repetition: unknown key "repetition"/],
  ['negative-disks', 'disks: -8\n', /negative-disks\.yaml:1:8: disks: must be at least 1/],
  ['yaml-error', 'disks: 8\n  variants: [system\n', /yaml-error\.yaml:\d+:\d+: YAML syntax error/],
  ['too-many-disks', 'disks: 100000\n', /too-many-disks\.yaml:1:8: disks: 100000 disks do not fit: s390-ccw-virtio holds 65536/],
];

t.test('bad case files', async (t) => {
  const dir = await tempDir();
  const results = join(dir, 'results');
  for (const [name, text, expected] of mistakes) {
    const file = await writeCase(dir, name, text);
    const r = await runCli(['run', file, '--results', results], { cwd: dir });
    t.equal(r.exitCode, 2, `${name}: exit 2`);
    const lines = r.stderr.trim().split('\n');
    t.equal(lines.length, 1, `${name}: one line: ${r.stderr}`);
    t.match(lines[0], expected, name);
    t.notMatch(r.all ?? '', /\bat .*\.js:\d+/, `${name}: no stack trace`);
  }
  t.same(await listFiles(results), [], 'nothing written to results');
});

t.test('a missing case file', async (t) => {
  const dir = await tempDir();
  const r = await runCli(['run', 'cases/does-not-exist.yaml', '--results', join(dir, 'results')], { cwd: dir });
  t.equal(r.exitCode, 2);
  t.equal(r.stderr.trim(), 'emuflock: cases/does-not-exist.yaml: no such file');
  t.same(await listFiles(join(dir, 'results')), []);
});

t.test('usage mistakes exit 2', async (t) => {
  t.equal((await runCli(['run'])).exitCode, 2, 'no case');
  t.equal((await runCli(['frobnicate'])).exitCode, 2, 'unknown command');
  t.equal((await runCli(['run', 'x.yaml', '--seed', 'abc'])).exitCode, 2, 'bad option value');
  const help = await runCli(['run', '--help']);
  t.equal(help.exitCode, 0);
  t.match(help.stdout, /--resume <run>/);
});
