import t from 'tap';
import { parse } from 'yaml';
import { parseCase } from '../../harness/case/load.js';
import { gitlabPipeline, type GitlabJob, type PipelineCase } from '../../harness/pipeline/gitlab.js';
import { pipelineYaml } from '../../harness/pipeline/write.js';

const at = (path: string, yaml: string): PipelineCase => ({ path, loaded: parseCase(yaml, path) });
const smoke = at('cases/smoke2.yaml', 'disks: 8\nvariants: [system, upstream]\nrepetitions: 2\n');
const kvm = at('cases/kvm.yaml', 'accel: kvm\ndisks: [100, 1000]\nvariants: [upstream, fixed]\nrepetitions: 6\n');
const built = [
  { name: 'upstream', arch: 's390x', cacheKey: 'aaaa' },
  { name: 'fixed', arch: 's390x', cacheKey: 'bbbb' },
];
const job = (p: Record<string, unknown>, name: string) => p[name] as GitlabJob;

t.test('build per built variant, run per shard, report that merges, reports, then gates', async (t) => {
  const { pipeline, notes } = gitlabPipeline([smoke], built, { shards: 2 });
  t.same(pipeline.stages, ['build', 'run', 'report']);
  t.same(pipeline.default.before_script, ['make build']);
  t.equal(pipeline.variables.XDG_CACHE_HOME, '$CI_PROJECT_DIR/.emuflock-cache');
  t.same(
    Object.keys(pipeline).filter((k) => k.includes(':') || k === 'report'),
    ['build:upstream', 'run:shard-1', 'run:shard-2', 'report'],
    'system is not built',
  );
  const build = job(pipeline, 'build:upstream');
  t.same(build.script, ['node dist/harness/cli.js build --arch s390x upstream']);
  t.equal(build.cache![0]!.key, 'emuflock-build-upstream-aaaa-untagged');
  t.same(build.cache![0]!.paths, ['.emuflock-cache/emuflock/builds/']);
  t.same(build.artifacts!.paths, ['.emuflock-cache/emuflock/builds/'], 'run jobs get the binaries as artifacts');
  const run2 = job(pipeline, 'run:shard-2');
  t.same(run2.needs, ['build:upstream']);
  t.same(run2.script, ['node dist/harness/cli.js run --shard 2/2 cases/smoke2.yaml --results results/shard-2']);
  t.same(run2.artifacts, { when: 'always', paths: ['results/shard-2/'], expire_in: '1 week' });
  t.equal(run2.cache![0]!.policy, 'pull');
  const report = job(pipeline, 'report');
  t.same(report.needs, ['run:shard-1', 'run:shard-2']);
  t.equal(report.when, 'always');
  t.same(report.script, [
    'node dist/harness/cli.js merge results/shard-*/*/ --out results/merged',
    'node dist/harness/cli.js report results/merged',
    'node dist/harness/cli.js compare results/merged',
  ]);
  t.equal(report.artifacts!.when, 'always', 'a failed gate still publishes the report');
  t.equal(report.artifacts!.reports!.junit, 'results/merged/report/junit.xml');
  t.same(notes, []);
});

t.test('runner tags follow the case: KVM [arch, kvm], TCG the given tag or none', async (t) => {
  const k = gitlabPipeline([kvm], built, { shards: 3, tcgTag: 'emulate' }).pipeline;
  for (const name of ['build:upstream', 'build:fixed', 'run:shard-3', 'report']) t.same(job(k, name).tags, ['s390x', 'kvm'], name);
  t.equal(job(k, 'build:fixed').cache![0]!.key, 'emuflock-build-fixed-bbbb-s390x-kvm');
  t.same(job(gitlabPipeline([smoke], built, { shards: 2, tcgTag: 'emulate' }).pipeline, 'run:shard-1').tags, ['emulate']);
  t.notOk('tags' in job(gitlabPipeline([smoke], built, { shards: 2 }).pipeline, 'run:shard-1'));
  t.throws(() => gitlabPipeline([smoke, kvm], built, { shards: 2 }), {
    message: /^cases\/kvm\.yaml: needs runners tagged \[s390x, kvm\], cases\/smoke2\.yaml \[\]; one pipeline runs on one kind of runner/,
  });
});

t.test('input errors: adaptive cases with shards, more shards than trials', async (t) => {
  const adaptive = at('cases/adaptive.yaml', 'disks: 8\nvariants: [system, upstream]\nrepetitions: {min: 3, max: 9}\n');
  t.throws(() => gitlabPipeline([adaptive], built, { shards: 2 }), { message: /^cases\/adaptive\.yaml: repetitions: \{min: 3, max: 9\} is adaptive, which --shards cannot split/ });
  const whole = gitlabPipeline([adaptive], built, { shards: 1 }).pipeline;
  t.same(job(whole, 'run').script, ['node dist/harness/cli.js run cases/adaptive.yaml --results results/shard-1'], 'one shard: a plain run, adaptive allowed');
  t.throws(() => gitlabPipeline([smoke], built, { shards: 5 }), { message: /^--shards 5: the cases plan only 4 trials; use at most 4 shards$/ });
});

t.test('nothing to compare: no gate, and a note; inline variants: a note', async (t) => {
  const lone = at('cases/lone.yaml', 'disks: 8\nrepetitions: 3\n');
  const { pipeline, notes } = gitlabPipeline([lone], [], { shards: 3 });
  t.notOk(job(pipeline, 'report').script.some((l) => l.includes(' compare ')));
  t.same(job(pipeline, 'run:shard-1').needs, []);
  t.match(notes.join('\n'), /nothing to compare/);
  const inline = at('cases/inline.yaml', 'disks: 8\nvariants: [system, {name: mine, series: []}]\n');
  t.match(gitlabPipeline([inline], [], { shards: 1 }).notes.join('\n'), /inline variant mine is built by each run job/);
});

t.test('the YAML says who made it, has no anchors, and reads back as the object', async (t) => {
  const { pipeline } = gitlabPipeline([smoke], built, { shards: 2, variantsFile: 'ci/variants.yaml', setup: ['make setup'], cli: 'npx emuflock' });
  const text = pipelineYaml(pipeline, 'emuflock pipeline gitlab cases/smoke2.yaml --shards 2');
  t.match(text, /^# Generated by: emuflock pipeline gitlab cases\/smoke2\.yaml --shards 2\n/);
  t.notMatch(text, /[&*]a\d/);
  t.same(parse(text), JSON.parse(JSON.stringify(pipeline)));
  t.same(job(pipeline, 'run:shard-1').script, ['npx emuflock run --variants ci/variants.yaml --shard 1/2 cases/smoke2.yaml --results results/shard-1']);
});

t.test('case paths reach job scripts as one shell word each: a name that is shell code does not run', async (t) => {
  const { execa } = await import('execa');
  const { readdir } = await import('node:fs/promises');
  const { tempDir } = await import('../helpers.js');
  const evil = at('cases/x;$(touch pwned).yaml', 'disks: 8\n');
  const quoted = at("cases/it's here.yaml", 'disks: 8\n');
  const { pipeline } = gitlabPipeline([evil, quoted], [], { shards: 1, cli: 'printf "%s\\n"' });
  const [line] = job(pipeline, 'run').script;
  t.equal(line, `printf "%s\\n" run 'cases/x;$(touch pwned).yaml' 'cases/it'\\''s here.yaml' --results results/shard-1`);
  // Run the line as GitLab would: the arguments come back whole, and nothing was touched.
  const dir = await tempDir();
  const r = await execa('sh', ['-c', line!], { cwd: dir });
  t.same(r.stdout.split('\n'), ['run', 'cases/x;$(touch pwned).yaml', "cases/it's here.yaml", '--results', 'results/shard-1']);
  t.same(await readdir(dir), [], 'no file "pwned"');
});
