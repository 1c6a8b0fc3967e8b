import t from 'tap';
import { execa } from 'execa';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tryLock } from '../../harness/core/pid-lock.js';
import type { SourceTree } from '../../harness/variants/source-repo.js';
import { debianQemuSource } from '../../harness/variants/debian-source.js';
import { median } from '../../harness/analyze/index.js';
import { readState } from '../../harness/bisect/state.js';
import { loadSeries } from '../../harness/variants/series.js';
import { revisionFamily } from '../../harness/variants/user-source.js';
import { cacheRoot } from '../../harness/core/paths.js';
import { cliCommand, tempDir, writeCase } from '../helpers.js';

// A QEMU history made for the test, from Debian's 7.2 source (cached): harmless commits, one
// that breaks the build and one that introduces the drain regression (drain-per-bds on top of
// the 2015 event-loop cost model). emuflock bisect must name the regressing commit and skip
// the broken one. The regression is in QEMU's init (the machine reset's drains: 0.7 s against
// 3.8 s at 400 disks), so the case ends there (until: qemu-init).
//
// The history is made anew each run (new commits, none of them built before), in one repository
// kept in the cache, as a maintainer bisects again in the checkout they bisected last week: its
// work tree and build directory stay, so the first build of the new history is incremental
// (36 ninja steps, not configure and 1299 through ccache: 2 CPU-minutes less). The first run on a
// machine, or after the cache is cleared, builds from nothing: 5.5 minutes alone then, 3.5-4
// otherwise.
const git = (repo: string, ...args: string[]) =>
  execa('git', ['-C', repo, '-c', 'user.name=QEMU Developer', '-c', 'user.email=dev@qemu.invalid', ...args]);

async function commitAll(repo: string, subject: string): Promise<string> {
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', subject);
  return (await git(repo, 'rev-parse', 'HEAD')).stdout.trim();
}

/** The cached repository, reset to the pristine source: a clone sharing the source's objects. */
async function historyRepository(source: SourceTree, repo: string): Promise<void> {
  const healthy = await git(repo, 'cat-file', '-e', `${source.commit}^{commit}`).then(
    () => true,
    () => false,
  );
  if (!healthy) {
    // Made again at the same path: the cache's clone and work tree of the old one go too.
    await rm(repo, { recursive: true, force: true });
    await mkdir(repo, { recursive: true });
    await removeCaches(repo);
    await execa('git', ['clone', '-q', '--shared', '--no-checkout', source.repo, repo]);
    // Never pruned: the cache's clone of it borrows its objects, the old histories' included.
    await git(repo, 'config', 'gc.auto', '0');
  }
  // Held under this file's lock: an index lock here was left by a test run killed mid-commit.
  await rm(join(repo, '.git', 'index.lock'), { force: true });
  await git(repo, 'checkout', '-q', '-f', '-B', 'history', source.commit);
  await git(repo, 'clean', '-fdxq');
}

/** The clone, work tree and build directory emuflock keeps for every commit of the repository. */
async function removeCaches(repo: string): Promise<void> {
  const family = await revisionFamily(repo);
  await rm(join(cacheRoot(), 'sources', family), { recursive: true, force: true });
  for (const tree of await readdir(join(cacheRoot(), 'trees')).catch(() => [] as string[])) {
    if (tree.startsWith(`${family}-`)) await rm(join(cacheRoot(), 'trees', tree), { recursive: true, force: true });
  }
}

/** Leaves git's index lock in the work tree emuflock builds the repository's commits in; its path. */
async function leaveIndexLock(repo: string): Promise<string> {
  const family = await revisionFamily(repo);
  const [tree] = (await readdir(join(cacheRoot(), 'trees'))).filter((d) => d.startsWith(`${family}-`));
  const src = join(cacheRoot(), 'trees', tree!, 'src');
  const lock = (await git(src, 'rev-parse', '--path-format=absolute', '--git-path', 'index.lock')).stdout.trim();
  await writeFile(lock, '');
  return lock;
}

async function buildHistory(repo: string): Promise<Record<string, string>> {
  const source = await debianQemuSource((l) => t.comment(l));
  await historyRepository(source, repo);
  const applySeries = async (name: string) => {
    // The history is made from Debian's 7.2 source: the series' 7.2 versions.
    for (const p of (await loadSeries(name, undefined, '7.2')).patches) await git(repo, 'apply', p.path);
  };
  const c: Record<string, string> = {};
  await applySeries('event-loop-2015');
  c.good = await commitAll(repo, 'main-loop: one idle fd per disk, ppoll (the 2015 cost model)');
  await appendFile(join(repo, 'README.rst'), '\nA harmless change.\n');
  c.harmless1 = await commitAll(repo, 'docs: a harmless change');
  await appendFile(join(repo, 'README.rst'), '\nAnother harmless change.\n');
  c.harmless2 = await commitAll(repo, 'docs: another harmless change');
  const blk = join(repo, 'hw', 'block', 'virtio-blk.c');
  const original = await readFile(blk, 'utf8');
  await writeFile(blk, original.replace('#include "qemu/osdep.h"\n', '#include "qemu/osdep.h"\n#error "a commit that does not build"\n'));
  c.broken = await commitAll(repo, 'virtio-blk: a commit that does not build');
  await writeFile(blk, original);
  c.fixed = await commitAll(repo, 'virtio-blk: build again');
  await applySeries('drain-per-bds');
  c.regression = await commitAll(repo, 'virtio-blk: drain all disks, one aio_poll() per disk, on reset');
  await appendFile(join(repo, 'README.rst'), '\nA third harmless change.\n');
  c.harmless3 = await commitAll(repo, 'docs: a third harmless change');
  await appendFile(join(repo, 'README.rst'), '\nA fourth harmless change.\n');
  c.bad = await commitAll(repo, 'docs: a fourth harmless change');
  return { ...c, repo };
}

let dir = '';
let c: Record<string, string> = {};
let firstBisect = '';
let afterAll: () => Promise<unknown> = async () => {};
t.teardown(() => afterAll());

/**
 * The cached repository, or, while another test run holds it (two checkouts of emuflock tested
 * at once), one of this run's own: built from nothing, its caches removed at the end.
 */
async function historyLocation(): Promise<string> {
  const home = join(cacheRoot(), 'test-history');
  await mkdir(home, { recursive: true });
  const lock = await tryLock(join(home, 'bisect-qemu-7.2.lock'));
  if (lock.acquired) {
    afterAll = lock.release;
    return join(home, 'bisect-qemu-7.2');
  }
  t.comment(`the cached history is in use (pid ${lock.owner ?? 'unknown'}): a repository of this run's own, built from nothing`);
  const repo = join(await tempDir(), 'qemu');
  await mkdir(repo);
  afterAll = () => removeCaches(repo);
  return repo;
}

t.test('bisect names the regressing commit and skips the one that does not build', { timeout: 1_500_000 }, async (t) => {
  dir = await tempDir();
  c = await buildHistory(await historyLocation());
  const caseFile = await writeCase(dir, 'bisect-400', 'disks: 400\nuntil: qemu-init\ntimeouts: {qemuInitS: 120}\n');
  const headBefore = (await git(c.repo!, 'rev-parse', 'HEAD')).stdout.trim();
  const r = await execa(...cliCommand(['bisect', '--repo', c.repo!, '--good', c.good!, '--bad', c.bad!, '--case', caseFile, '--results', join(dir, 'results')]), {
    reject: false,
    all: true,
    cwd: dir,
  });
  t.comment(r.all ?? '');
  t.equal(r.exitCode, 0);
  t.match(r.stdout, new RegExp(`^first slow commit: ${c.regression} virtio-blk: drain all disks`, 'm'));
  t.match(r.stdout, /^confirmed: /m);
  // Each step moves the one build tree to its commit: ninja rebuilds what changed, not all of
  // QEMU (git bisect run exports GIT_DIR, which once made every step rewrite the whole tree).
  const steps = (r.all ?? '').slice((r.all ?? '').indexOf('calibrated:'));
  const ninjaTotals = [...steps.matchAll(/build [0-9a-f]{12}: \[\d+\/(\d+)\]/g)].map((m) => Number(m[1]));
  t.ok(ninjaTotals.length > 0 && Math.max(...ninjaTotals) < 300, `bisect steps build incrementally (ninja steps: ${[...new Set(ninjaTotals)].join(', ')})`);
  const resultDir = join(dir, r.stdout.match(/^report: (.+)\/bisect\.md$/m)![1]!);
  firstBisect = resultDir;
  const state = await readState(resultDir);
  t.equal(state.commits[c.broken!]?.status, 'skip', 'the broken commit was visited and skipped');
  t.match(state.commits[c.broken!]?.reason, /does not build/);
  t.equal(state.commits[c.regression!]?.status, 'slow');
  t.equal(state.culprit?.confirmed, true);
  t.match(await readFile(join(resultDir, 'bisect.md'), 'utf8'), new RegExp(`First slow commit: ${c.regression!.slice(0, 12)}`));
  t.equal((await git(c.repo!, 'rev-parse', 'HEAD')).stdout.trim(), headBefore, "the user's HEAD is untouched");
  t.equal((await git(c.repo!, 'status', '--porcelain')).stdout.trim(), '', "the user's checkout is clean");
  t.equal((await execa('git', ['-C', c.repo!, 'bisect', 'log'], { reject: false })).exitCode !== 0, true, 'no bisect state in the user repo');
});

// What a host that changed since calibration looks like to a step: the calibrated ends scaled so
// that the bad end sits where the good end was measured, their midpoint below every good commit:
// classified against it, every commit would be slow and the first commit named. (Scaling only to
// put the midpoint on the good end, as this test once did, proves nothing when the calibration
// itself ran under load: a neighbouring test once lifted the good end from 0.7 to 1.58 s, and the
// midpoint measured beside the commit, 1.68 s, was then that stale one.) Resumed with only the
// ends known and --paired (two runs per step and per check, to keep it short), every commit is
// classified against the ends run beside it: the culprit is found and confirmed as before.
t.test('a stale calibration, --paired: commits are classified against the ends measured beside them', { timeout: 1_500_000 }, async (t) => {
  if (!t.ok(firstBisect, 'the bisect of the test before left its state')) return;
  const state = await readState(firstBisect);
  const scale = median(state.calibration!.good) / median(state.calibration!.bad);
  const stale = {
    good: state.calibration!.good.map((v) => v * scale),
    bad: state.calibration!.bad.map((v) => v * scale),
    midpoint: state.calibration!.midpoint * scale,
  };
  const resumed = join(dir, 'results', 'stale-calibration');
  await mkdir(resumed);
  const ends = Object.fromEntries([state.good, state.bad].map((sha) => [sha, state.commits[sha]!]));
  // Two runs per step and per check: one run, just after a build, once read 9.19 s against a 9.73 s midpoint.
  const runs = { ...state.runs, step: 2, max: 4, verify: 2, paired: true };
  await writeFile(join(resumed, 'bisect.json'), JSON.stringify({ ...state, runs, calibration: stale, commits: ends, culprit: undefined }, null, 2));
  // As an emuflock killed mid-checkout (Ctrl-C in a step, a CI timeout) leaves it: git's index
  // lock in the cached work tree. Git would refuse every later checkout there, and each commit
  // not built yet would be skipped as one that "does not build".
  const indexLock = await leaveIndexLock(c.repo!);
  const r = await execa(...cliCommand(['bisect', '--resume', resumed]), { reject: false, all: true, cwd: dir });
  t.comment(r.all ?? '');
  t.equal(r.exitCode, 0);
  t.match(r.stdout, new RegExp(`^first slow commit: ${c.regression} `, 'm'));
  t.ok((r.all ?? '').includes(`removing ${indexLock}, left by a checkout that was interrupted`), 'the stale index lock was removed, and said so');
  const after = await readState(resumed);
  t.match(after.commits[c.broken!]?.reason, /ninja failed/, 'the broken commit was checked out and built (ninja failed), not stopped by the lock');
  const fixed = after.commits[c.fixed!]!;
  t.equal(fixed.status, 'fast', 'the good commit after the broken one was called fast against the ends measured beside it');
  t.ok(fixed.beside && fixed.beside.good.length > 0 && fixed.beside.bad.length === fixed.beside.good.length, `good and bad ran beside it (${fixed.beside?.good.length ?? 0} each)`);
  t.ok(fixed.midpoint! > stale.midpoint * 1.2, `its midpoint (${((fixed.midpoint ?? 0) / 1000).toFixed(2)} s) is the host's, not the stale ${(stale.midpoint / 1000).toFixed(2)} s`);
  t.equal(after.culprit?.confirmed, true, 'the culprit is confirmed by its ratio to its parent, whatever the calibration');
  const journal = (await readFile(join(resumed, 'journal.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { trialId: string });
  const ids = journal.map((o) => o.trialId);
  t.equal(new Set(ids).size, ids.length, 'every trial of the ends has a trial id of its own');
  t.equal(after.commits[c.regression!]?.status, 'slow');
  t.match(await readFile(join(resumed, 'bisect.md'), 'utf8'), new RegExp(`^- ${c.fixed!.slice(0, 12)} was classified against the ends run beside it \\(--paired\\)`, 'm'));
});
