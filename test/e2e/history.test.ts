import t from 'tap';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readHistory } from '../../harness/history/history-file.js';
import { runCli, tempDir, writeCase } from '../helpers.js';
import { buildHistory, testHistoryLocation } from './qemu-history.js';

// A history of one case across commits of the test's QEMU history (qemu-history.ts: a build
// break, then the drain regression), measured in two goes as a maintainer adds the next
// release: the second go measures the new source only, finds the step, boots its two sources
// side by side, and bisects it (across the commit that does not build) to the regressing
// commit, calibrated with the side-by-side run instead of measuring the ends again.
t.test('history: incremental, a confirmed step, bisected to its commit', { timeout: 1_800_000 }, async (t) => {
  const { repo, release } = await testHistoryLocation((l) => t.comment(l));
  t.teardown(release);
  const c = await buildHistory(repo, (l) => t.comment(l));
  const dir = await tempDir();
  const caseFile = await writeCase(dir, 'drain-400', 'disks: 400\nuntil: qemu-init\nrepetitions: 5\nvariants: [upstream]\ntimeouts: {qemuInitS: 120}\n');
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
  t.match(listed.stdout, /^open regressions: 1 \(drain-400\)$/m);
});
