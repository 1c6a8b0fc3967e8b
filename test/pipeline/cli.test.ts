import t from 'tap';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempDir, writeCase } from '../helpers.js';

// User mistakes around shards, merge and pipelines: exit 2 and one line naming the file or
// option, before anything is built or booted.

t.test('run --shard: adaptive cases and empty shards are refused', async (t) => {
  const dir = await tempDir();
  const adaptive = await writeCase(dir, 'adaptive', 'disks: 8\nvariants: [system]\nrepetitions: {min: 2, max: 8}\n');
  const r = await runCli(['run', '--shard', '1/2', adaptive, '--results', join(dir, 'results')], { cwd: dir });
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /^emuflock: .*adaptive\.yaml: repetitions: \{min: 2, max: 8\} is adaptive, which --shard cannot split/m);
  const small = await writeCase(dir, 'small', 'disks: 8\nrepetitions: 2\n');
  const empty = await runCli(['run', '--shard', '3/3', small, '--results', join(dir, 'results')], { cwd: dir });
  t.equal(empty.exitCode, 2);
  t.match(empty.stderr, /--shard 3\/3: the plan has 2 trials, fewer than 3 shards, and this one would be empty/);
  const bad = await runCli(['run', '--shard', '0/2', small], { cwd: dir });
  t.equal(bad.exitCode, 2);
  t.match(bad.stderr, /expected I\/N, the I-th of N shards/);
});

t.test('merge and pipeline: bad input exits 2 and names it', async (t) => {
  const dir = await tempDir();
  const merge = await runCli(['merge', join(dir, 'nope')], { cwd: dir });
  t.equal(merge.exitCode, 2);
  t.match(merge.stderr, /nope: not a run directory \(no run\.json\)/);
  const c = await writeCase(dir, 'smoke', 'disks: 8\nrepetitions: 2\n');
  const outside = await runCli(['pipeline', 'gitlab', c, '-o', join(dir, 'sub', '.gitlab-ci.yml')], { cwd: dir });
  t.equal(outside.exitCode, 2);
  t.match(outside.stderr, /smoke\.yaml: outside .*sub, where the pipeline runs; CI jobs only see the repository's files/);
  const shards = await runCli(['pipeline', 'gitlab', c, '--shards', '3', '-o', '-'], { cwd: dir });
  t.equal(shards.exitCode, 2);
  t.match(shards.stderr, /--shards 3: the cases plan only 2 trials; use at most 2 shards/);
  const ok = await runCli(['pipeline', 'gitlab', c, '--shards', '2', '--tcg-tag', 'emulate', '-o', '-'], { cwd: dir });
  t.equal(ok.exitCode, 0, ok.stderr);
  t.match(ok.stdout, /run --shard 2\/2 smoke\.yaml --results results\/shard-2/);
  t.match(ok.stderr, /nothing to compare/);
  const toDir = await runCli(['pipeline', 'gitlab', c, '-o', dir], { cwd: dir });
  t.equal(toDir.exitCode, 2);
  t.match(toDir.stderr, /-o .*: is a directory; name the pipeline file/);
  t.notMatch(toDir.stderr, /\bat .*\.js:\d+/, 'no stack trace');
  t.same((await readdir(dir)).sort(), ['smoke.yaml'], 'no .tmp file left');
});
