import t from 'tap';
import { parseCase } from '../../harness/case/load.js';
import type { GitlabJob } from '../../harness/pipeline/gitlab.js';
import { gitlabHistoryPipeline } from '../../harness/pipeline/gitlab-history.js';

const tcg = parseCase('disks: 1000\nvariants: [upstream]\nrepetitions: {min: 3, max: 5}\n', 'cases/drain.yaml');
const kvm = parseCase('accel: kvm\ndisks: 1000\nvariants: [upstream]\n', 'cases/kvm.yaml');
const job = (p: Record<string, unknown>, name: string) => p[name] as GitlabJob;
const debian = { sources: ['debian:bookworm', 'debian:trixie', 'debian:sid'], revs: [], every: 1 };

t.test('a measure job per source, each its own shard; one job merges, analyses and gates', async (t) => {
  const { pipeline, notes } = gitlabHistoryPipeline('cases/drain.yaml', tcg, debian, { bisect: true });
  t.same(pipeline.stages, ['measure', 'history']);
  t.same(Object.keys(pipeline).filter((k) => k.startsWith('measure:') || k === 'history'), ['measure:1', 'measure:2', 'measure:3', 'history']);
  const second = job(pipeline, 'measure:2');
  t.same(second.script, [
    'node dist/harness/cli.js history cases/drain.yaml --source debian:bookworm --source debian:trixie --source debian:sid --shard 2/3 --results results/shard-2',
  ]);
  t.same(second.needs, [], 'the shards run at once');
  t.same(second.artifacts, { when: 'always', paths: ['results/shard-2/'], expire_in: '1 week' });
  t.equal(second.cache![0]!.key, 'emuflock-history-drain-shard-2-untagged', "each shard keeps its own sources' builds");
  const last = job(pipeline, 'history');
  t.same(last.needs, ['measure:1', 'measure:2', 'measure:3']);
  t.equal(last.when, 'always', 'a shard whose source failed to build still leaves the others to analyse');
  t.same(last.script, ['node dist/harness/cli.js merge-history results/shard-*/history-*/ --out results/history', 'node dist/harness/cli.js history --resume results/history']);
  t.same(last.artifacts!.paths, ['results/history/']);
  t.same(notes, []);
});

t.test('revisions, a range, tags and the bisect switch', async (t) => {
  const range = { sources: [], repo: '/srv/qemu', revs: ['v10.0.0'], range: 'v10.0.0..v10.1.0', every: 50 };
  t.throws(() => gitlabHistoryPipeline('cases/kvm.yaml', kvm, range, { bisect: true }), { message: /--range .* give --shards N/ });
  const { pipeline, notes } = gitlabHistoryPipeline('cases/kvm.yaml', kvm, range, { bisect: false, shards: 4 });
  t.same(job(pipeline, 'measure:4').script, [
    'node dist/harness/cli.js history cases/kvm.yaml --repo /srv/qemu --rev v10.0.0 --range v10.0.0..v10.1.0 --every 50 --shard 4/4 --results results/shard-4',
  ]);
  t.same(job(pipeline, 'measure:1').tags, ['s390x', 'kvm'], 'a KVM case runs on KVM runners');
  t.match(job(pipeline, 'history').script[1], / --no-bisect$/);
  t.match(notes[0], /--repo \/srv\/qemu: the jobs read this path on the runners/);
  t.throws(() => gitlabHistoryPipeline('cases/drain.yaml', tcg, { ...debian, sources: ['debian:sid'] }, { bisect: true }), { message: /at least two sources/ });
  t.throws(() => gitlabHistoryPipeline('cases/drain.yaml', tcg, debian, { bisect: true, shards: 4 }), { message: /--shards 4: the history names 3 sources/ });
  t.same(job(gitlabHistoryPipeline('cases/drain.yaml', tcg, debian, { bisect: true, tcgTag: 'emu' }).pipeline, 'history').tags, ['emu']);
});
