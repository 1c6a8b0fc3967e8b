import t from 'tap';
import { execa } from 'execa';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readJournal } from '../../harness/journal/journal.js';
import { cliCommand, runCli, tempDir, writeCase } from '../helpers.js';

// Resumes, races and kills never lose or mix recorded trials.

const smoke = 'disks: 8\nrepetitions: 2\nseed: 3\n';

async function finishedRun(dir: string, text = smoke): Promise<string> {
  const file = await writeCase(dir, 'kept', text);
  const r = await runCli(['run', file, '--results', join(dir, 'results')], { cwd: dir });
  if (r.exitCode !== 0) throw new Error(r.all);
  const [id] = await readdir(join(dir, 'results'));
  return join(dir, 'results', id!);
}

t.test('two runs of one case started together get a run directory each', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir();
  const file = await writeCase(dir, 'twice', 'disks: 8\n');
  const results = join(dir, 'results');
  const [a, b] = await Promise.all([0, 1].map(() => runCli(['run', file, '--results', results], { cwd: dir })));
  t.equal(a!.exitCode, 0);
  t.equal(b!.exitCode, 0);
  const runs = await readdir(results);
  t.equal(runs.length, 2, `two run directories: ${runs.join(', ')}`);
  for (const run of runs) {
    const obs = await readJournal(join(results, run, 'journal.jsonl'));
    t.equal(obs.length, 1, `${run}: its own trial only`);
    t.equal(obs[0]!.runId, run, 'the observation names its own run');
  }
});

t.test('a resumed run with a torn last line cuts it and appends whole lines', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir();
  const run = await finishedRun(dir);
  const journal = join(run, 'journal.jsonl');
  const [first] = (await readFile(journal, 'utf8')).split('\n');
  await writeFile(journal, first + '\n' + '{"schema":1,"trialId":"kept/sys');
  const r = await runCli(['run', '--resume', run], { cwd: dir });
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stderr, /removed an incomplete last line/);
  t.equal((await readJournal(journal, (w) => t.fail(w))).length, 2);
  const report = await runCli(['report', run, '--format', 'markdown']);
  t.equal(report.exitCode, 0, `the journal still parses: ${report.stderr}`);
});

t.test('a resume refuses a journal with a damaged line in the middle, and runs nothing', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir();
  const run = await finishedRun(dir);
  const journal = join(run, 'journal.jsonl');
  const [first, second] = (await readFile(journal, 'utf8')).split('\n');
  const damaged = `${first}\n\nnot json\n${second}\n`;
  await writeFile(journal, damaged);
  const r = await runCli(['run', '--resume', run], { cwd: dir });
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /journal\.jsonl:3: not a JSON line \(not json\)/);
  t.equal(await readFile(journal, 'utf8'), damaged, 'the journal is as it was');
});

t.test('a resume refuses run.json whose case text was edited after the run started', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir();
  const run = await finishedRun(dir);
  const manifest = JSON.parse(await readFile(join(run, 'run.json'), 'utf8'));
  manifest.cases[0].text = manifest.cases[0].text.replace('repetitions: 2', 'repetitions: 5');
  await writeFile(join(run, 'run.json'), JSON.stringify(manifest));
  const before = await readFile(join(run, 'journal.jsonl'), 'utf8');
  const r = await runCli(['run', '--resume', run], { cwd: dir });
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /run\.json: cases\[0\]\.text: does not match its recorded sha256/);
  t.equal(await readFile(join(run, 'journal.jsonl'), 'utf8'), before);
});

t.test('a resume of a run another emuflock is writing is refused', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir();
  const run = await finishedRun(dir);
  // Another writer: a live process holding the run's lock, as a running emuflock does.
  const owner = execa('sleep', ['60']);
  await mkdir(join(run, '.lock'));
  await writeFile(join(run, '.lock', 'pid'), String(owner.pid));
  const r = await runCli(['run', '--resume', run], { cwd: dir });
  owner.kill();
  await owner.catch(() => {});
  t.equal(r.exitCode, 2);
  t.match(r.stderr, new RegExp(`another emuflock \\(pid ${owner.pid}\\) is writing this run`));
  // Its owner gone, the lock is stale and the resume goes ahead.
  const again = await runCli(['run', '--resume', run], { cwd: dir });
  t.equal(again.exitCode, 0, again.stderr);
  t.equal((await readJournal(join(run, 'journal.jsonl'))).length, 2, 'nothing recorded twice');
});

t.test('two resumes at once record each trial once', { timeout: 180_000 }, async (t) => {
  const dir = await tempDir();
  const run = await finishedRun(dir, 'disks: 8\nrepetitions: 3\nseed: 3\n');
  const journal = join(run, 'journal.jsonl');
  const [first] = (await readFile(journal, 'utf8')).split('\n');
  await writeFile(journal, first + '\n');
  const [a, b] = await Promise.all([0, 1].map(() => runCli(['run', '--resume', run], { cwd: dir })));
  t.same([a!.exitCode, b!.exitCode].sort(), [0, 2], `${a!.stderr}\n${b!.stderr}`);
  const ids = (await readJournal(journal)).map((o) => o.trialId);
  t.equal(ids.length, 3);
  t.equal(new Set(ids).size, 3, 'no trial twice');
});

t.test('a SIGKILLed run leaves its trial directory; the next run removes it', { timeout: 180_000 }, async (t) => {
  const dir = await tempDir();
  const tmp = join(dir, 'tmp');
  await mkdir(tmp);
  const env = { TMPDIR: tmp };
  const file = await writeCase(dir, 'slow', 'disks: 32\ntimeouts: {diskProbeS: 600}\n');
  const harness = execa(...cliCommand(['run', file, '--results', join(dir, 'results')]), { reject: false, cwd: dir, env });
  const deadline = Date.now() + 60_000;
  while ((await readdir(tmp)).filter((n) => n.startsWith('emuflock-trial-')).length === 0 && Date.now() < deadline) await sleep(100);
  await sleep(500);
  harness.kill('SIGKILL');
  await harness;
  const left = (await readdir(tmp)).filter((n) => n.startsWith('emuflock-trial-'));
  t.equal(left.length, 1, 'SIGKILL leaves the trial directory');
  t.ok(left[0]!.startsWith(`emuflock-trial-${harness.pid}-`), 'named after its owner');
  const next = await runCli(['run', await writeCase(dir, 'quick', 'disks: 8\n'), '--results', join(dir, 'results')], { cwd: dir, env });
  t.equal(next.exitCode, 0, next.stderr);
  t.match(next.stderr, /removed 1 trial directory left by an emuflock that was killed/);
  t.same((await readdir(tmp)).filter((n) => n.startsWith('emuflock-trial-')), []);
});

t.test('a trial that times out in shutdown shows its measured phases in the summary', { timeout: 120_000, todo: 'racy: QEMU can exit within the 1 ms shutdown timeout (seen: shutdown 0.02 s, outcome ok, on a loaded host); needs a guest that delays its power-off' }, async (t) => {
  const dir = await tempDir();
  const file = await writeCase(dir, 'slowdown', 'disks: 8\ntimeouts: {shutdownS: 0.001}\n');
  const r = await runCli(['run', file, '--results', join(dir, 'results')], { cwd: dir });
  t.equal(r.exitCode, 1);
  const row = r.stdout.split('\n').find((l) => l.startsWith('slowdown'));
  t.match(row, /0\/1\s+\d+\.\d\d\*\s+\d+\.\d\d\*\s+\d+\.\d\d\*\s+\d+\.\d\d\*\s+-\s/, `measured phases shown: ${row}`);
  t.match(row, /1 timeout/);
});

