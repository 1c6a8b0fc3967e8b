import t from 'tap';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers.js';
import { kvmUnusable } from '../boot-helpers.js';
import { buildHistory, git, testHistoryLocation } from './qemu-history.js';

// Is a fix's bug still there? The test's QEMU history (qemu-history.ts) carries the drain
// regression from its `regression` commit on; a series that undoes it, with a shows.yaml at 400
// disks until QEMU init, is built onto the last commit and booted against it as it is: the bug is
// still there (the series makes QEMU init FASTER). On the commit before the regression the series
// does not apply, so nothing is built there.
t.test('series-matrix --measure: the bug a series fixes, still there or not, measured', { timeout: 1_800_000 }, async (t) => {
  const { repo, release } = await testHistoryLocation((l) => t.comment(l));
  t.teardown(release);
  const c = await buildHistory(repo, (l) => t.comment(l));
  const dir = await tempDir();
  const patches = join(dir, 'patches');
  const series = join(patches, 'undo-drain');
  await mkdir(series, { recursive: true });
  await writeFile(join(series, '0001-undo-drain.patch'), (await git(repo, 'diff', c.regression!, `${c.regression!}^`)).stdout + '\n');
  await writeFile(join(series, 'series'), '0001-undo-drain.patch\n');
  await writeFile(
    join(series, 'shows.yaml'),
    'description: QEMU init with 400 disks, where each reset drains every disk.\nmetric: qemuInitMs\ncase:\n  disks: 400\n  until: qemu-init\n  timeouts: { qemuInitS: 120 }\n',
  );
  const results = join(dir, 'results');
  const r = await runCli(['series-matrix', 'undo-drain', '--repo', repo, '--rev', c.fixed!, '--rev', c.bad!, '--measure', '--results', results], { cwd: dir, env: { EMUFLOCK_PATCHES: patches } });
  t.comment(r.all ?? '');
  t.equal(r.exitCode, 1, 'the series does not apply before the regression: exit 1, as without --measure');
  const after = c.bad!.slice(0, 12);
  t.match(r.stdout, /^bug still there\?\s+\S+\s+\S+\s*$/m, 'a second table, a column per source');
  t.match(r.stdout, /^undo-drain\s+-\s+still there\s*$/m, 'nothing built where it does not apply; still there where it does');
  t.match(r.stdout, new RegExp(`^  undo-drain on ${repo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@${c.bad!}: still there: fixed/stock 0\\.\\d+× \\[.*\\], p \\S+, FASTER, \\d+ \\+ \\d+ trials \\(`, 'm'));
  const measured = r.stdout.slice(r.stdout.indexOf('\nmeasured:\n'));
  t.match(measured, new RegExp(`@${c.bad!}: still there`));
  t.notMatch(measured, new RegExp(`@${c.fixed!}`), 'no measurement of the source it does not apply to');
  t.match(r.stderr, new RegExp(`undo-drain on \\S+@${after}\\w+: booting it as it is and with the series, alternately, until QEMU init is decided`), 'progress names what is booted');
  const runs = await readdir(results);
  t.match(runs, [/^\d{8}-\d{6}-series-matrix$/], 'the boots are a run in the results folder');
});

// The route series change exact counts, under KVM: on QEMU 7.2 batching takes the route commits
// of 256 disks x 4 queues from 1 + 2*256*4 to 1 + 256, and a full table (256 x 16, irqchip on)
// aborts 7.2 as it is where the fallback series ends ok. Their shows.yaml, as shipped.
t.test('series-matrix --measure: exact counts and an abort decide the route series on 7.2', { timeout: 1_800_000, skip: (await kvmUnusable()) ?? false }, async (t) => {
  const dir = await tempDir();
  const r = await runCli(['series-matrix', 'virtio-pci-batch-routes', 'kvm-route-exhaustion-fallback', '--source', 'debian:1:7.2+dfsg-7+deb12u18', '--measure', '--results', join(dir, 'results')], { cwd: dir });
  t.comment(r.all ?? '');
  t.equal(r.exitCode, 0);
  t.match(r.stdout, /^  virtio-pci-batch-routes on \S+: still there: irq route commits 2049 → 257 with the series, exact in 2 \+ 2 trials \(/m);
  t.match(r.stdout, /^  kvm-route-exhaustion-fallback on \S+: still there: the source as it is fails here \(2 qemu-crashed\), with the series 2 of 2 trials ended ok \(/m);
  t.match(r.stderr, /virtio-pci-batch-routes on \S+: booting it as it is and with the series, alternately, counting routeCommits/);
});
