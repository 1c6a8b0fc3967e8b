import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCase } from '../../harness/case/load.js';
import { planTrials, selectShard, type Shard } from '../../harness/case/matrix.js';
import type { LoadedCase } from '../../harness/case/schema.js';
import { readJournal } from '../../harness/journal/journal.js';
import { mergeRunDirs, mergeRuns, type MergeSource } from '../../harness/journal/merge.js';
import { createRunDir, journalPath, readManifest, type RunManifest } from '../../harness/journal/run-dir.js';
import { observation } from '../compare/synthetic.js';
import { tempDir } from '../helpers.js';
import type { Observation } from '../../harness/record/observation.js';

const smoke = parseCase('disks: 8\nvariants: [system, upstream]\nrepetitions: 2\n', 'cases/smoke2.yaml');

function manifest(c: LoadedCase, shard: Shard | undefined, runId: string, seed = planTrials([c]).seed): RunManifest {
  return {
    runId,
    createdAt: '2026-01-01T00:00:00.000Z',
    emuflockVersion: '0.1.0',
    argv: ['emuflock', 'run', ...(shard ? ['--shard', `${shard.index}/${shard.count}`] : []), c.file, '--results', 'results/x'],
    seed,
    cases: [{ name: c.name, file: c.file, sha256: c.sha256, text: c.text }],
    trials: 0,
    ...(shard ? { shard } : {}),
  };
}

/** A shard as `emuflock run --shard` would leave it, every trial ok, on host `hostname`. */
function shardRun(c: LoadedCase, shard: Shard, hostname: string, buildKeys: Record<string, string> = {}): MergeSource {
  const plan = selectShard(planTrials([c]), [c], shard);
  const runId = `run-${shard.index}`;
  const observations: Observation[] = plan.trials.map((trial) => {
    const o = observation({ case: trial.case, variant: trial.variant, point: trial.point, rep: trial.rep, totalMs: 3000 });
    return { ...o, runId, order: trial.order, host: { ...o.host, hostname }, variant: { ...o.variant, buildKey: buildKeys[trial.variant] ?? o.variant.buildKey } };
  });
  return { label: `results/shard-${shard.index}`, dir: `/r/shard-${shard.index}`, manifest: { ...manifest(c, shard, runId), trials: plan.trials.length }, observations };
}

const argv = ['emuflock', 'merge', 'a', 'b'];

t.test('shards merge into the plan: every trial once, in plan order, each with its host', async (t) => {
  const merged = mergeRuns([shardRun(smoke, { index: 2, count: 2 }, 'lone-2'), shardRun(smoke, { index: 1, count: 2 }, 'lone-1')], argv);
  const plan = planTrials([smoke]);
  t.same(
    merged.observations.map((o) => o.trialId),
    plan.trials.map((x) => x.trialId),
  );
  t.same(new Set(merged.observations.map((o) => o.host.hostname)), new Set(['lone-1', 'lone-2']));
  t.equal(merged.manifest.trials, 4);
  t.equal(merged.manifest.seed, plan.seed);
  t.same(merged.manifest.argv, ['emuflock', 'run', 'cases/smoke2.yaml', '--results', 'results/x'], 'the one-machine command: no --shard');
  t.same(
    merged.manifest.merged!.sources.map((s) => [s.shard, s.hosts, s.trials]),
    [
      [{ index: 2, count: 2 }, ['lone-2'], 2],
      [{ index: 1, count: 2 }, ['lone-1'], 2],
    ],
  );
  t.same(merged.manifest.merged!.missing, []);
  t.same(merged.notes, []);
});

t.test('a trial given twice is kept once; a missing shard is said', async (t) => {
  const one = shardRun(smoke, { index: 1, count: 2 }, 'h');
  const merged = mergeRuns([one, { ...one, label: 'again' }], argv);
  t.equal(merged.observations.length, 2);
  t.same(merged.manifest.merged!.missing.length, 2);
  t.match(merged.notes.join('\n'), /again: 2 trials already merged from an earlier run/);
  t.match(merged.notes.join('\n'), /2 of the plan's 4 trials are in no merged run/);
});

t.test('refusals: other cases, another seed, another shard count, another build of a variant', async (t) => {
  const one = shardRun(smoke, { index: 1, count: 2 }, 'h');
  const two = shardRun(smoke, { index: 2, count: 2 }, 'h');
  const edited = parseCase(smoke.text + '# edited\n', 'cases/smoke2.yaml');
  t.throws(() => mergeRuns([one, { ...two, manifest: { ...two.manifest, cases: manifest(edited, undefined, 'x').cases } }], argv), {
    message: /^results\/shard-2: ran other case files than results\/shard-1: smoke2 \(sha256 [0-9a-f]{12}\) vs smoke2 \(sha256 [0-9a-f]{12}\)/,
  });
  t.throws(() => mergeRuns([one, { ...two, manifest: { ...two.manifest, seed: 1 } }], argv), { message: /^results\/shard-2: seed 1, but results\/shard-1 has seed \d+/ });
  t.throws(() => mergeRuns([one, shardRun(smoke, { index: 2, count: 3 }, 'h')], argv), {
    message: /^results\/shard-2: shard 2\/3, but results\/shard-1 is shard 1\/2/,
  });
  t.throws(() => mergeRuns([one, shardRun(smoke, { index: 2, count: 2 }, 'h', { upstream: 'other-build' })], argv), {
    message: /^results\/shard-2: variant upstream ran build other-build, but results\/shard-1 ran build key-upstream/,
  });
  t.throws(() => mergeRuns([], argv), { message: /name at least one run directory/ });
});

t.test('mergeRunDirs writes a run directory that reads back, and never overwrites one', async (t) => {
  const root = await tempDir();
  const dirs: string[] = [];
  for (const index of [1, 2]) {
    const s = shardRun(smoke, { index, count: 2 }, `h${index}`);
    const { dir } = await createRunDir(join(root, `shard-${index}`), s.manifest);
    await writeFile(journalPath(dir), s.observations.map((o) => JSON.stringify(o) + '\n').join(''));
    dirs.push(dir);
  }
  const out = join(root, 'merged');
  const merged = await mergeRunDirs(dirs, { out, argv });
  t.equal(merged.dir, out);
  t.equal((await readJournal(journalPath(out))).length, 4);
  const m = await readManifest(out);
  t.equal(m.runId, 'merged');
  t.equal(m.merged!.sources.length, 2);
  t.notOk(m.shard, 'the merged run is whole');

  await t.rejects(mergeRunDirs(dirs, { out, argv }), { message: /merged: already holds a run; choose another --out or remove it/ });
  await mkdir(join(root, 'empty'));
  await t.rejects(mergeRunDirs([join(root, 'empty')], { out: join(root, 'm2'), argv }), { message: /empty: not a run directory/ });
});
