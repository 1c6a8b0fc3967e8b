import t from 'tap';
import { execa } from 'execa';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readState } from '../../harness/bisect/state.js';
import { readHistory } from '../../harness/history/history-file.js';
import { cliCommand, runCli, tempDir, writeCase } from '../helpers.js';
import { buildHistory, testHistoryLocation } from './qemu-history.js';


/** The test's QEMU history (kept for this test while it runs) and a case at 400 disks until QEMU init, `repetitions` trials a source. */
async function drain400History(t: { comment: (line: string) => void; teardown: (f: () => unknown) => void }, repetitions: number) {
  const { repo, release } = await testHistoryLocation((l) => t.comment(l));
  t.teardown(release);
  const c = await buildHistory(repo, (l) => t.comment(l));
  const dir = await tempDir();
  const caseFile = await writeCase(dir, 'drain-400', `disks: 400\nuntil: qemu-init\nrepetitions: ${repetitions}\nvariants: [upstream]\ntimeouts: {qemuInitS: 120}\n`);
  return { repo, c, dir, caseFile };
}

// A history of one case across commits of the test's QEMU history (qemu-history.ts: a build
// break, then the drain regression), measured in two goes as a maintainer adds the next
// release: the second go measures the new source only, finds the step, boots its two sources
// side by side, and bisects it (across the commit that does not build) to the regressing
// commit, calibrated with the side-by-side run instead of measuring the ends again.
t.test('history: incremental, a confirmed step, bisected to its commit', { timeout: 1_800_000 }, async (t) => {
  const { repo, c, dir, caseFile } = await drain400History(t, 5);
  const results = join(dir, 'results');
  const history = join(results, 'history-drain-400');

  const first = await runCli(['history', caseFile, '--repo', repo, '--rev', c.good!, '--rev', c.harmless2!, '--results', results], { cwd: dir });
  t.comment(first.all ?? '');
  t.equal(first.exitCode, 0, 'no open regression between two harmless commits');
  t.match(first.stdout, /^open regressions: none \(drain-400, 2 sources\)$/m);

  const second = await runCli(['history', caseFile, '--repo', repo, '--rev', c.good!, '--rev', c.harmless2!, '--rev', c.bad!, '--results', results], { cwd: dir });
  t.comment(second.all ?? '');
  t.equal(second.exitCode, 1, 'an open regression: exit 1');
  const measured = [...(second.stderr ?? '').matchAll(/^\[\d\/3\] (\S+): (measuring|measured before)/gm)].map((m) => `${m[1]} ${m[2]}`);
  t.same(measured, [`${c.good!.slice(0, 12)} measured before`, `${c.harmless2!.slice(0, 12)} measured before`, `${c.bad!.slice(0, 12)} measuring`], 'only the new source is measured');
  t.match(second.stdout, new RegExp(`^between ${c.harmless2!.slice(0, 12)} and ${c.bad!.slice(0, 12)}, QEMU init at disks=400 \\(upstream\\) .* SLOWER, holds to the last source; confirmed side by side`, 'm'));
  t.match(second.stdout, new RegExp(`^- since ${c.bad!.slice(0, 12)} .*; first slow commit ${c.regression!.slice(0, 12)} virtio-blk: drain all disks`, 'm'));
  t.match(second.stderr, /calibrated from the history's side-by-side run/, 'the bisect did not measure its ends again');

  const h = await readHistory(history);
  t.equal(h.sources.length, 3);
  t.equal(Object.values(h.bisects ?? {})[0]?.culprit, c.regression);
  t.ok((await stat(join(history, 'report', 'history-qemuInit.png'))).size > 10_000, 'the trend chart is drawn');
  t.match(await readFile(join(history, 'report', 'report.html'), 'utf8'), /Bisected steps/);

  const listed = await runCli(['regressions', history], { cwd: dir });
  t.equal(listed.exitCode, 1);
  // QEMU init's step, and at times shutdown's (17 → 28 ms at 400 disks, the same commit's drain
  // at reset: a candidate when the 2-trial noise lets it be, then decided side by side).
  const count = Number(/^open regressions: (\d+) \(drain-400\)$/m.exec(listed.stdout ?? '')?.[1]);
  const lines = (listed.stdout ?? '').split('\n').filter((l) => l.startsWith('- since '));
  t.equal(count, lines.length, 'the count is the regressions listed');
  t.ok(lines.length >= 1 && lines.every((l) => l.startsWith(`- since ${c.bad!.slice(0, 12)} `)), 'all at the step the regression commit made');
  t.match(listed.stdout, new RegExp(`^- since ${c.bad!.slice(0, 12)} .*: QEMU init at disks=400 .*; first slow commit ${c.regression!.slice(0, 12)} `, 'm'));
});

// The same history on two machines (a CI job each: `pipeline gitlab-history`), joined: each shard
// measures only its own sources, merge-history copies their runs, and history --resume on the
// merged folder finds and confirms the step as one machine would have.
t.test('history: sharded, merged, then analysed', { timeout: 1_800_000 }, async (t) => {
  const { repo, c, dir, caseFile } = await drain400History(t, 5);
  const sources = ['--repo', repo, '--rev', c.good!, '--rev', c.harmless2!, '--rev', c.bad!];
  const shardOut: string[] = [];
  for (const shard of ['1/2', '2/2']) {
    const results = join(dir, `shard-${shard[0]}`);
    const r = await runCli(['history', caseFile, ...sources, '--shard', shard, '--results', results], { cwd: dir });
    t.comment(r.all ?? '');
    t.equal(r.exitCode, 0, `shard ${shard} measures and stops`);
    t.match(r.stdout, new RegExp(`^shard ${shard}: ${shard === '1/2' ? 2 : 1} of 3 sources in `, 'm'));
    shardOut.push(join(results, 'history-drain-400'));
  }
  const measuredBy = async (d: string) => Object.keys((await readHistory(d)).records).length;
  t.same([await measuredBy(shardOut[0]!), await measuredBy(shardOut[1]!)], [2, 1], 'sources 1 and 3 in the first shard, 2 in the second');

  const merged = join(dir, 'merged');
  const m = await runCli(['merge-history', ...shardOut, '--out', merged], { cwd: dir });
  t.equal(m.exitCode, 0, m.all ?? '');
  t.match(m.stdout, /merged: 3 of 3 sources measured/);
  const again = await runCli(['merge-history', ...shardOut, '--out', merged], { cwd: dir });
  t.equal(again.exitCode, 2, 'a second merge into the same folder is refused');
  t.match(again.stderr, /--out .*merged: not empty/);

  const analysed = await runCli(['history', '--resume', merged, '--no-bisect'], { cwd: dir });
  t.comment(analysed.all ?? '');
  t.equal(analysed.exitCode, 1, 'the open regression, found from the shards');
  t.match(analysed.stderr, /\[1\/3\] \S+: measured before/, 'nothing measured again');
  t.match(analysed.stdout, new RegExp(`^between ${c.harmless2!.slice(0, 12)} and ${c.bad!.slice(0, 12)}, QEMU init at disks=400 \\(upstream\\) .* SLOWER, holds to the last source; confirmed side by side`, 'm'));
});

// Two trials a source: a cheap first pass, too few for the test to call the drain regression
// (×5 at 400 disks). The pair is a candidate step; the history boots its two sources side by side
// with more trials (from 5 a side) until the test decides, and then it is an open regression.
t.test('history: a step too few trials could call is decided side by side with more', { timeout: 1_800_000 }, async (t) => {
  const { repo, c, dir, caseFile } = await drain400History(t, 2);
  const results = join(dir, 'results');
  const history = join(results, 'history-drain-400');

  const r = await runCli(['history', caseFile, '--repo', repo, '--rev', c.good!, '--rev', c.bad!, '--no-bisect', '--results', results], { cwd: dir });
  t.comment(r.all ?? '');
  t.equal(r.exitCode, 1, 'decided, the candidate is an open regression');
  t.match(r.stderr, /^undecided between \S+ and \S+, upstream at disks=400 \(.*\): booting both sides alternately, up to 20 trials a side, until QEMU init is decided$/m, 'the metric that moved most leads');
  t.match(r.stdout, new RegExp(`^between ${c.good!.slice(0, 12)} and ${c.bad!.slice(0, 12)}, QEMU init at disks=400 \\(upstream\\) .*: undecided, SLOWER to the last source; decided side by side [0-9.]+×, p \\S+, SLOWER \\(\\d+ \\+ \\d+ trials\\)$`, 'm'));
  const h = await readHistory(history);
  t.same(Object.keys(h.checks ?? {}).map((k) => k.replace(/^\S+\.\.\S+ /, '')), ['more-trials upstream disks=400'], 'one run with more trials for the pair, its variant and point, and no other check');

  const again = await runCli(['history', '--resume', history, '--no-bisect'], { cwd: dir });
  t.equal(again.exitCode, 1);
  t.notMatch(again.stderr, /booting both sides/, 'decided once, not booted again');
  t.match(again.stdout, /decided side by side/);
});

// A source that does not build is passed over and kept so: continuing the history does not build
// it again unless asked (--retry-failed, after an update of emuflock or the patches).
t.test('history: a source that does not build is passed over, and tried again when asked', { timeout: 1_800_000 }, async (t) => {
  const { repo, c, dir, caseFile } = await drain400History(t, 3);
  const results = join(dir, 'results');
  const history = join(results, 'history-drain-400');
  const broken = c.broken!.slice(0, 12);

  const first = await runCli(['history', caseFile, '--repo', repo, '--rev', c.good!, '--rev', c.broken!, '--results', results], { cwd: dir });
  t.comment(first.all ?? '');
  t.equal(first.exitCode, 0, 'one source measured, the other passed over: no regression');
  t.match(first.stderr, new RegExp(`^\\[2/2\\] ${broken}: passed over, does not build: `, 'm'));

  const again = await runCli(['history', '--resume', history], { cwd: dir });
  t.match(again.stderr, new RegExp(`^\\[2/2\\] ${broken}: passed over before \\(does not build: .*\\); --retry-failed to try again$`, 'm'), 'not built again unasked');

  const retried = await runCli(['history', '--resume', history, '--retry-failed'], { cwd: dir });
  t.comment(retried.all ?? '');
  t.match(retried.stderr, new RegExp(`^\\[2/2\\] ${broken}: measuring$`, 'm'), 'asked: built again');
  t.match(retried.stderr, new RegExp(`^\\[2/2\\] ${broken}: passed over, does not build: `, 'm'), 'and passed over again, as it still does not build');
  t.equal((await readHistory(history)).records[`git-${c.broken!}`]?.status, 'failed');
});

// Ctrl-C while a history bisects its step, then --resume: the bisect continues in its folder,
// with the commits it measured, and names the culprit; no second bisect is started.
t.test('history: a bisect interrupted by Ctrl-C continues where it stopped', { timeout: 1_800_000 }, async (t) => {
  const { repo, c, dir, caseFile } = await drain400History(t, 3);
  const results = join(dir, 'results');
  const history = join(results, 'history-drain-400');
  const bisects = join(history, 'bisects');

  const first = execa(...cliCommand(['history', caseFile, '--repo', repo, '--rev', c.good!, '--rev', c.bad!, '--results', results]), { reject: false, all: true, cwd: dir });
  // Stopped once the bisect has measured a commit of its own beyond its two calibrated ends.
  const measured = async () => {
    for (const name of await readdir(bisects).catch(() => [] as string[])) {
      const state = await readState(join(bisects, name)).catch(() => undefined);
      if (state && Object.keys(state.commits).length >= 3) return name;
    }
    return undefined;
  };
  const deadline = Date.now() + 900_000;
  let folder: string | undefined;
  // A child process's exitCode is null until it exits.
  while (!(folder = await measured()) && Date.now() < deadline && first.exitCode === null) await sleep(200);
  t.ok(folder, 'the bisect measured a commit');
  first.kill('SIGINT');
  const stopped = await first;
  t.comment(stopped.all ?? '');
  t.not(stopped.exitCode, 0, 'interrupted');
  t.same(Object.keys((await readHistory(history)).bisects ?? {}), [], 'the bisect is not recorded: it did not end');
  // git bisect run and its step went with the harness: left running, they kept marking commits.
  let left = '';
  for (let i = 0; i < 50; i++) {
    left = (await execa('pgrep', ['-f', `bisect.*${folder}`], { reject: false })).stdout.trim();
    if (!left) break;
    await sleep(100);
  }
  t.equal(left, '', 'no git bisect or step of the interrupted bisect is left running');

  const resumed = await runCli(['history', '--resume', history], { cwd: dir });
  t.comment(resumed.all ?? '');
  t.equal(resumed.exitCode, 1, 'the open regression');
  t.match(resumed.stderr, new RegExp(`continuing the bisect interrupted in \\S*${folder}`));
  t.equal(Object.values((await readHistory(history)).bisects ?? {})[0]?.culprit, c.regression, 'the culprit');
  t.same((await readdir(bisects, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name), [folder], 'one bisect folder: no second bisect');
});
