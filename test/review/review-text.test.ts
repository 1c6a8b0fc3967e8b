import t from 'tap';
import { join } from 'node:path';
import { parseCase } from '../../harness/case/load.js';
import { compareRuns } from '../../harness/compare/compare.js';
import { openRun } from '../../harness/journal/opened-run.js';
import type { Observation } from '../../harness/record/observation.js';
import { parseMbox } from '../../harness/review/mail-message.js';
import { reviewPhases } from '../../harness/review/point-table.js';
import { selectSeries } from '../../harness/review/posted-series.js';
import { chooseBase, reviewCase, seriesSlug } from '../../harness/review/review-case.js';
import { reviewText } from '../../harness/review/review-text.js';
import { repoRoot } from '../helpers.js';
import type { PhaseName } from '../../harness/record/phases.js';

// review.txt from a recorded run (the seed-drain fixture: unfixed = fixed + drain-per-bds,
// SLOWER at every disk count), as if drain-per-bds had been posted and reviewed onto fixed.
const posted = selectSeries(
  parseMbox(
    'From 0 Mon Sep 17 00:00:00 2001\nFrom: Ada <ada@example.org>\nDate: Thu, 26 Nov 2026 04:46:50 +0000\nSubject: [PATCH] virtio-blk: drain all disks on reset\n\ncommit text\n---\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1 @@\n-x\n+y\n',
    'p.mbox',
  ),
  'p.mbox',
);

async function fixtureReview(alpha: number, testedBy?: string, keep: (o: Observation) => boolean = () => true) {
  const run = await openRun(join(repoRoot, 'test/fixtures/runs/seed-drain'));
  const observations = run.observations.filter((o) => o.variant.name !== 'upstream' && keep(o));
  const reports = new Map<PhaseName, ReturnType<typeof compareRuns>>();
  for (const metric of reviewPhases) reports.set(metric, compareRuns([{ ...run, observations }], { metric, threshold: 0.05, alpha, baseline: 'fixed' }));
  return reviewText({
    posted,
    base: { name: 'fixed', label: 'Debian qemu 7.2 + event-loop-2015' },
    seriesVariant: 'unfixed',
    caseName: 'seed-drain',
    reports,
    metric: 'totalMs',
    observations,
    reproduce: ['emuflock', 'review', 'p.mbox', '--case', 'cases/seed-drain.yaml', '--base', 'fixed', '--seed', '1'],
    emuflockVersion: '0.1.0',
    ...(testedBy ? { testedBy } : {}),
  });
}

// 3 trials per side: only an alpha above 0.1 lets the rank test decide.
t.test('a SLOWER series: a table per point, the verdicts of compare/, no Tested-by', async (t) => {
  const text = await fixtureReview(0.2, 'Ada <ada@example.org>');
  t.same(text.split('\n').filter((l) => l.length > 72), [], 'fits 72 columns');
  t.match(text, /^On Thu, 26 Nov 2026 04:46:50 \+0000, Ada <ada@example\.org> wrote:\n> \[PATCH\] virtio-blk: drain all disks on reset\n/);
  for (const disks of [250, 500]) t.match(text, new RegExp(`^disks=${disks}: 3 \\+ 3 trials$`, 'm'));
  t.match(text, /^  phase +fixed +series +ratio +verdict$/m);
  t.match(text, /The series makes total SLOWER at /);
  t.match(text, /^2 boots with the series failed \(above\)\.$/m, 'the fixture\'s two crashed boots at 1000 disks are findings');
  t.match(text, /^Failures \(2\):\n  series, disks=1000, run \d: /m);
  t.notMatch(text, /Tested-by/);
  t.match(text, /^  emuflock review p\.mbox --case cases\/seed-drain\.yaml --base fixed/m);
});

t.test('Tested-by only when asked, and only without SLOWER or failures', async (t) => {
  t.notMatch(await fixtureReview(0.01, 'Ada <ada@example.org>'), /Tested-by/, 'not with failed boots of the series');
  // At 250 disks Welch's test decides from 3 + 3 trials (total ×1.44, every trial apart);
  // at 500 a trial of each side is three times its others (Welch: p 0.06), so nothing is decided.
  const undecidedTrials = (o: Observation) => o.outcome === 'ok' && o.params.disks === 500;
  const undecided = await fixtureReview(0.01, 'Ada <ada@example.org>', undecidedTrials);
  t.match(undecided, /^No phase changed measurably\./m, 'at alpha 0.01, these 3 + 3 trials decide nothing');
  t.match(undecided, /\nTested-by: Ada <ada@example\.org>\n$/, 'so the tester may say it was tested');
  t.notMatch(await fixtureReview(0.01, undefined, undecidedTrials), /Tested-by/, 'never unasked');
});

t.test('the review case: the base and base + series, adaptive up to the maximum', async (t) => {
  const c = parseCase('# my case\ndisks: 8\nvariants: [system, fixed]\nrepetitions: 3\n', 'cases/x.yaml');
  const shared = new Map([['fixed', { name: 'fixed', source: 'debian', series: ['event-loop-2015'], configure: [] }]]);
  const base = chooseBase(c, shared);
  t.same(base, { name: 'upstream', source: 'debian', series: [], configure: [] }, 'system stands for Debian\'s source, the upstream variant');
  t.same(chooseBase(c, shared, 'fixed').series, ['event-loop-2015']);
  t.throws(() => chooseBase(c, shared, 'nope'), { kind: 'input', message: /--base: unknown variant "nope"/ });
  const slug = seriesSlug('virtio-blk: Drain all disks, one aio_poll() per disk, on reset', 2, 'upstream');
  t.equal(slug, 'v2-virtio-blk-drain-all-disks-one-aio', 'words of the title up to 40 characters');
  const rc = reviewCase(c, base, slug, 10);
  t.same(rc.spec.variants.map((v) => (typeof v === 'string' ? v : v.name)), ['upstream', slug]);
  t.same(rc.spec.repetitions, { min: 3, max: 10 });
  t.equal(rc.spec.disks, 8);
  t.match(rc.text, /my case/, 'the case\'s own comments stay');
});
