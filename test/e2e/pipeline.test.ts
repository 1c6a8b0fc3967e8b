import t from 'tap';
import { execa } from 'execa';
import { readdir, mkdir, symlink, writeFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCase } from '../../harness/case/load.js';
import { planTrials } from '../../harness/case/matrix.js';
import { readJournal } from '../../harness/journal/journal.js';
import { journalPath, readManifest } from '../../harness/journal/run-dir.js';
import { cacheRoot } from '../../harness/core/paths.js';
import { cliCommand, repoRoot, tempDir } from '../helpers.js';
import { readHistory } from '../../harness/history/history-file.js';
import { buildHistory, testHistoryLocation } from './qemu-history.js';

// The generated .gitlab-ci.yml, run for real by gitlab-ci-local (shell executor, each job in
// its own copy of the repository, artifacts handed from job to job as GitLab would): a smoke
// case of 2 variants × 2 repetitions in 2 shards, built variant included. The jobs read the
// real emuflock cache (XDG_CACHE_HOME set as a CI variable would be), so `upstream` is found
// by its build key instead of being rebuilt for 4 minutes. The test builds it first (at once when
// cached): on a fresh machine no earlier test may have, and the job must find it either way.

const smokeCase = 'description: two variants in two shards, for the pipeline test\ndisks: 8\nvariants: [system, upstream]\nrepetitions: 2\n';

/**
 * A git repository holding the working tree as it is now (uncommitted files included), with
 * node_modules as a folder of links into the real one plus its own install stamp, so that
 * `make build` in a job finds npm's work done and compiles dist/ itself.
 */
async function projectCopy(dir: string): Promise<void> {
  const files = await execa('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot });
  await execa('rsync', ['-a', '--ignore-missing-args', '--files-from=-', `${repoRoot}/`, `${dir}/`], { input: files.stdout });
  await mkdir(join(dir, 'node_modules'));
  for (const entry of await readdir(join(repoRoot, 'node_modules'))) {
    await symlink(join(repoRoot, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  await writeFile(join(dir, 'node_modules', '.emuflock-installed'), '');
}

async function git(dir: string, args: string[]): Promise<void> {
  await execa('git', ['-c', 'user.name=emuflock test', '-c', 'user.email=test@emuflock.invalid', ...args], { cwd: dir });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

t.test('gitlab pipeline: 2 shards run, merge into the one-machine plan, report and gate', { timeout: 1_200_000 }, async (t) => {
  const built = await execa(...cliCommand(['build', 'upstream']), { cwd: repoRoot, reject: false, all: true });
  t.equal(built.exitCode, 0, `upstream is in the build cache before the pipeline runs: ${built.all.split('\n').slice(-5).join('\n')}`);
  const dir = await tempDir('emuflock-pipeline-');
  await projectCopy(dir);
  await writeFile(join(dir, 'cases', 'pipeline-smoke.yaml'), smokeCase);
  const generated = await execa(...cliCommand(['pipeline', 'gitlab', 'cases/pipeline-smoke.yaml', '--shards', '2']), { cwd: dir, reject: false, all: true });
  t.equal(generated.exitCode, 0, generated.all);
  t.match(generated.stdout, /wrote \.gitlab-ci\.yml: 4 jobs \(build:upstream, run:shard-1, run:shard-2, report\)/);
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['add', '-A']);
  await git(dir, ['add', '-f', 'node_modules']);
  await git(dir, ['commit', '-q', '-m', 'pipeline test']);

  const started = performance.now();
  const gcl = await execa(
    join(repoRoot, 'node_modules', '.bin', 'gitlab-ci-local'),
    ['--shell-isolation', '--no-color', '--variable', `XDG_CACHE_HOME=${dirname(cacheRoot())}`],
    { cwd: dir, reject: false, all: true },
  );
  const seconds = (performance.now() - started) / 1000;
  t.comment(`gitlab-ci-local: ${seconds.toFixed(0)} s, exit ${gcl.exitCode}`);
  t.equal(gcl.exitCode, 0, `every job passed (last lines: ${gcl.all.split('\n').slice(-25).join('\n')})`);
  t.notMatch(gcl.all, /build upstream: configuring/, 'upstream came from the build cache, not rebuilt');

  const artifacts = join(dir, '.gitlab-ci-local', 'artifacts');
  const merged = join(artifacts, 'report', 'results', 'merged');
  const planned = planTrials([parseCase(smokeCase, 'cases/pipeline-smoke.yaml')]).trials.map((x) => x.trialId);
  const observations = await readJournal(journalPath(merged));
  t.same(
    observations.map((o) => o.trialId).sort(),
    [...planned].sort(),
    'the merged run holds exactly the trials one machine would have run',
  );
  t.ok(observations.every((o) => o.outcome === 'ok'), 'every trial ok');
  const manifest = await readManifest(merged);
  t.same(
    manifest.merged!.sources.map((s) => s.shard),
    [
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ],
  );
  t.same(manifest.merged!.missing, []);
  // gitlab-ci-local names artifact folders by an escaped job name: find each shard's by content.
  for (const shard of [1, 2]) {
    const jobs = [];
    for (const job of await readdir(artifacts)) if (await exists(join(artifacts, job, 'results', `shard-${shard}`))) jobs.push(job);
    t.equal(jobs.length, 1, `shard ${shard}: one run job's artifacts`);
    const results = join(artifacts, jobs[0]!, 'results', `shard-${shard}`);
    const runs = await readdir(results);
    t.equal(runs.length, 1, `shard ${shard}: one run directory`);
    t.same((await readManifest(join(results, runs[0]!))).shard, { index: shard, count: 2 });
  }
  for (const file of ['report.html', 'junit.xml']) t.ok(await exists(join(merged, 'report', file)), `report artifact ${file}`);
  t.match(gcl.all, /compare results\/merged/, 'the gate ran');
});

// A history's pipeline, run the same way: a measure job per source (two commits of the test's
// QEMU history that differ in a README, built through the shared cache), then the job that
// merges the shards and analyses them: no step, exit 0, the merged history an artifact.
t.test('gitlab history pipeline: a job per source, merged and analysed', { timeout: 1_200_000 }, async (t) => {
  const { repo, release } = await testHistoryLocation((l) => t.comment(l));
  t.teardown(release);
  const c = await buildHistory(repo, (l) => t.comment(l));
  const dir = await tempDir('emuflock-pipeline-');
  await projectCopy(dir);
  await writeFile(join(dir, 'cases', 'history-smoke.yaml'), 'description: two commits, for the history pipeline test\ndisks: 8\nuntil: qemu-init\nrepetitions: 2\nvariants: [upstream]\n');
  const generated = await execa(...cliCommand(['pipeline', 'gitlab-history', 'cases/history-smoke.yaml', '--repo', repo, '--rev', c.good!, '--rev', c.harmless2!]), { cwd: dir, reject: false, all: true });
  t.equal(generated.exitCode, 0, generated.all);
  t.match(generated.stdout, /wrote \.gitlab-ci\.yml: 3 jobs \(measure:1, measure:2, history\)/);
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['add', '-A']);
  await git(dir, ['add', '-f', 'node_modules']);
  await git(dir, ['commit', '-q', '-m', 'history pipeline test']);
  const gcl = await execa(
    join(repoRoot, 'node_modules', '.bin', 'gitlab-ci-local'),
    ['--shell-isolation', '--no-color', '--variable', `XDG_CACHE_HOME=${dirname(cacheRoot())}`],
    { cwd: dir, reject: false, all: true },
  );
  t.equal(gcl.exitCode, 0, `every job passed (last lines: ${gcl.all.split('\n').slice(-25).join('\n')})`);
  t.match(gcl.all, /shard 1\/2: 1 of 2 sources/, 'the first job measured its source only');
  t.match(gcl.all, /merged: 2 of 2 sources measured/);
  t.match(gcl.all, /open regressions: none \(history-smoke, 2 sources\)/);
  const history = await readHistory(join(dir, '.gitlab-ci-local', 'artifacts', 'history', 'results', 'history'));
  t.same(Object.values(history.records).map((r) => r.status), ['measured', 'measured']);
});
