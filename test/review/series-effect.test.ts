import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readShows } from '../../harness/review/series-effect.js';
import { effectVerdict, isCountMetric } from '../../harness/review/effect-verdict.js';
import type { Outcome } from '../../harness/record/outcome.js';
import { observation, series } from '../compare/synthetic.js';
import { tempDir } from '../helpers.js';

async function seriesWith(shows: string | undefined): Promise<string> {
  const dir = join(await tempDir(), 'a-fix');
  await mkdir(dir);
  if (shows !== undefined) await writeFile(join(dir, 'shows.yaml'), shows);
  return dir;
}

t.test('a shows.yaml: where the bug shows and the phase it changes', async (t) => {
  const dir = await seriesWith('description: QEMU init with 2000 disks.\nmetric: qemuInitMs\ncase:\n  disks: 2000\n  until: qemu-init\n');
  const shows = await readShows(dir);
  t.equal(shows?.metric, 'qemuInitMs');
  t.same(shows?.case, { disks: 2000, until: 'qemu-init' });
  t.equal(await readShows(await seriesWith(undefined)), undefined, 'no file: no point, not an error');
});

t.test('a bad shows.yaml is refused with its file and field', async (t) => {
  const bad = async (text: string, message: RegExp) => t.rejects(readShows(await seriesWith(text)), message, text.split('\n')[1]);
  await bad('description: x\nmetric: bootMs\ncase: {disks: 1}\n', /shows\.yaml.*metric/);
  await bad('description: x\nmetric: qemuInitMs\n', /shows\.yaml.*case/);
  await bad('description: x\nmetric: qemuInitMs\ncase: {disks: 1, variants: [upstream]}\n', /shows\.yaml: case: variants: the two variants are the source as it is and with the series/);
  await bad('description: x\nmetric: qemuInitMs\ncase: {disks: 1}\nrepetitions: 3\n', /shows\.yaml.*repetitions/);
  await bad('description: x\nmetric: qemuInitMs\ncase: {disks: -4, until: qemu-init}\n', /shows\.yaml.*disks/);
  await bad('description: x\nmetric: qemuInitMs\ncase: {disk: 4}\n', /shows\.yaml.*disk/);
});

t.test('a shows.yaml may name an exact count instead of a phase', async (t) => {
  const shows = await readShows(await seriesWith('description: Route commits.\nmetric: routeCommits\ncase:\n  arch: x86_64\n  accel: kvm\n  disks: 256\n'));
  t.equal(shows?.metric, 'routeCommits');
  t.ok(isCountMetric(shows!.metric));
  t.notOk(isCountMetric('qemuInitMs'));
  await t.rejects(readShows(await seriesWith('description: x\nmetric: routeCommit\ncase: {disks: 1}\n')), /shows\.yaml.*metric/, 'a misspelt count');
});

const stats = { threshold: 0.05, alpha: 0.01 };
// Counts as stock 10.2.2 and its two route series gave them at 256 disks x 16 queues, irqchip on,
// under this host's KVM (two trials each, 2026-12-07).
const trials = (variant: string, counts: Parameters<typeof observation>[0]['counts'][], outcome: Outcome = 'ok') =>
  counts.map((c, rep) => observation({ variant, rep, totalMs: 23_000 + rep, counts: c, outcome }));

t.test('an exact count decides at two trials a side: different is still there, equal is not seen', async (t) => {
  const stock = trials('stock', [{ routeCommits: 8104, irqfdFallbacks: 18 }, { routeCommits: 8104, irqfdFallbacks: 18 }]);
  const batched = trials('fixed', [{ routeCommits: 239, irqfdFallbacks: 18 }, { routeCommits: 239, irqfdFallbacks: 18 }]);
  const commits = effectVerdict(stock, batched, 'routeCommits', stats);
  t.equal(commits.status, 'still there');
  t.equal(commits.detail, 'irq route commits 8104 → 239 with the series, exact in 2 + 2 trials');
  const fallbacks = effectVerdict(stock, batched, 'irqfdFallbacks', stats);
  t.equal(fallbacks.status, 'not seen');
  t.equal(fallbacks.detail, 'irqfd fallbacks 18 with and without the series, exact in 2 + 2 trials');
});

t.test('a count that varies between boots, or was not measured, decides nothing', async (t) => {
  const varying = effectVerdict(trials('stock', [{ routeCommits: 8104 }, { routeCommits: 8108 }]), trials('fixed', [{ routeCommits: 239 }, { routeCommits: 239 }]), 'routeCommits', stats);
  t.equal(varying.status, 'undecided');
  t.match(varying.detail, /vary between boots: 8104\/8108 as it is, 239 with the series/);
  const unmeasured = effectVerdict(trials('stock', [{}, {}]), trials('fixed', [{}, {}]), 'routeCommits', stats);
  t.equal(unmeasured.status, 'undecided');
  t.match(unmeasured.detail, /not measured/);
});

t.test('a source that fails where the series ends ok still has the bug; the reverse is the fix failing', async (t) => {
  const aborted = trials('stock', [{}, {}], 'qemu-crashed');
  const fellBack = trials('fixed', [{ irqfdFallbacks: 3 }, { irqfdFallbacks: 3 }]);
  const crash = effectVerdict(aborted, fellBack, 'irqfdFallbacks', stats);
  t.equal(crash.status, 'still there');
  t.equal(crash.detail, 'the source as it is fails here (2 qemu-crashed), with the series 2 of 2 trials ended ok');
  t.equal(effectVerdict(fellBack, aborted, 'irqfdFallbacks', stats).status, 'fix fails');
  t.equal(effectVerdict(aborted, aborted, 'qemuInitMs', stats).status, 'undecided');
  // Ended ok but without the phase (a trial stopped at QEMU init, say): nothing failed, nothing to compare.
  const noProbe = trials('stock', [{}, {}]).map((o) => ({ ...o, phases: { ...o.phases, diskProbeMs: null } }));
  const missing = effectVerdict(noProbe, series([5000, 5100], { variant: 'fixed' }), 'diskProbeMs', stats);
  t.equal(missing.status, 'undecided');
  t.equal(missing.detail, 'nothing to compare (as it is: 2 no diskProbeMs; with the series: 2 ok)');
});

t.test('a phase is compared as times are: fixed FASTER is still there, SAME is not seen', async (t) => {
  const slow = series([5900, 6000, 6100, 6050, 5950], { variant: 'stock' });
  const fast = series([1700, 1750, 1800, 1720, 1780], { variant: 'fixed' });
  const still = effectVerdict(slow, fast, 'totalMs', stats);
  t.equal(still.status, 'still there');
  t.match(still.detail, /^fixed\/stock 0\.29× .*FASTER, 5 \+ 5 trials$/);
  t.equal(effectVerdict(slow, series([5900, 6000, 6100, 6050, 5950], { variant: 'fixed' }), 'totalMs', stats).status, 'not seen');
  t.equal(effectVerdict(fast, slow, 'totalMs', stats).status, 'fix slower');
});

t.test('a shows.yaml names one point: a sweep is refused, naming what it sweeps', async (t) => {
  await t.rejects(readShows(await seriesWith('description: x\nmetric: diskProbeMs\ncase: {disks: [1000, 2000], queues: [1, 2]}\n')), /shows\.yaml: case: disks, queues: one point only/);
});
