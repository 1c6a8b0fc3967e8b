import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReport } from '../../harness/report/index.js';
import { loadClaims } from '../../harness/talk/claims.js';
import { writeTalk } from '../../harness/talk/write-talk.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { repoRoot, runCli, tempDir } from '../helpers.js';
import { copyRun } from '../report/helpers.js';
import type { Observation } from '../../harness/record/observation.js';

// The seed-drain fixture is a real run: unfixed at 1000 disks has one ok trial and two timeouts.
const claimsText = `title: A talk
source: a conference, 2015
conditions: a big machine under KVM
claims:
  - id: before
    claim: start-up before the fix
    talk: 13 min
    slide: one
    case: ../seed-drain.yaml
    measure: { variant: unfixed, point: { disks: 1000 } }
  - id: after
    claim: start-up after the fix
    talk: 16 s
    slide: one
    case: ../seed-drain.yaml
    measure: { variant: fixed, point: { disks: 500 }, against: unfixed }
  - id: limit
    claim: how far unfixed goes
    talk: "1000"
    slide: two
    case: ../seed-drain.yaml
    limit: { along: disks, variant: unfixed }
  - id: fds
    claim: fds per disk
    talk: "8"
    slide: three
    case: ../seed-drain.yaml
    measure: { metric: resources.fdsPeak, variant: fixed, point: { disks: 1000 }, per: disks }
  - id: big
    claim: a host with 8 TB
    talk: "> 8 TB"
    slide: four
    cannotRun: this host has 24 GiB
`;

async function claimsFile(text = claimsText) {
  const dir = join(await tempDir(), 'talk');
  await (await import('node:fs/promises')).mkdir(dir);
  const file = join(dir, 'claims.yaml');
  await writeFile(file, text);
  return file;
}

t.test('each claim gets our figure and its verdict or limit, from the run alone', async (t) => {
  const run = await copyRun();
  const { results } = await writeTalk(await openRun(run), await loadClaims(await claimsFile()));
  const by = new Map(results.map((r) => [r.claim.id, r]));
  t.equal(by.get('before')!.ours, '2m34s (median of 1; 2 timeout)', 'the timeouts are said, not averaged in');
  t.equal(by.get('after')!.ours, '7.30 s (median of 3)');
  // 3 vs 3 trials cannot reach p < 0.01 in a rank test: no verdict is claimed from them.
  t.match(by.get('after')!.verdict, /^UNKNOWN: 3\.\d× faster than unfixed \(22\.9 s; 3 vs 3 trials, p = 0\.\d+, Welch on log times\)$/);
  t.equal(by.get('limit')!.ours, 'disks = 500 ok');
  t.match(by.get('limit')!.verdict, /^limit at disks = 1000: timeout \(/);
  t.match(by.get('fds')!.ours, /^\d\.\d\d \(median of 3\)$/, 'fds per disk, not the total');
  t.match(by.get('big')!.verdict, /^not run here: this host has 24 GiB$/);

  const md = await readFile(join(run, 'talk.md'), 'utf8');
  t.match(md, /^# The talk, reproduced: A talk\n/);
  t.match(md, /\| start-up before the fix \| one \| 13 min \| 2m34s \(median of 1; 2 timeout\) \| - \| - \|/, 'no chart without a report');
  t.match(md, /## Not run on this host\n\n- \*\*a host with 8 TB\*\* \(talk: > 8 TB; slide four\): this host has 24 GiB/);
  t.match(md, /Intel|AMD|CPU/, 'the host the figures come from');
});

t.test('a claim links the chart its case drew in the run\'s report', async (t) => {
  const run = await copyRun();
  await writeReport(await openRun(run), { formats: ['png'] });
  await writeTalk(await openRun(run), await loadClaims(await claimsFile()));
  const md = await readFile(join(run, 'talk.md'), 'utf8');
  t.match(md, /\| \[startup\]\(report\/seed-drain-startup\.png\) \|/);
});

t.test('a tally counts a list of the trial record by one field, with the minority\'s reason', async (t) => {
  const run = await copyRun(join(repoRoot, 'test', 'fixtures', 'runs', 'guests-sweep'));
  const journal = join(run, 'journal.jsonl');
  const lines = (await readFile(journal, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Observation);
  const big = lines.find((o) => o.params.guests === 48)!;
  for (const g of big.guests!.slice(40)) Object.assign(g, { outcome: 'timeout', error: { message: 'guest-boot timed out after 60 s\nmore' } });
  await writeFile(journal, lines.map((o) => JSON.stringify(o)).join('\n') + '\n');
  const file = await claimsFile(`title: T\nsource: S\nconditions: C\nclaims:\n  - id: fleet\n    claim: guests up\n    talk: "4096"\n    slide: s\n    case: ../guests-sweep.yaml\n    tally: { list: guests, by: outcome, point: { guests: 48 } }\n`);
  const [r] = (await writeTalk(await openRun(run), await loadClaims(file))).results;
  t.equal(r!.ours, '40 ok, 8 timeout (of 48)');
  t.equal(r!.verdict, 'timeout: guest-boot timed out after 60 s');
});

t.test('a claim that is not in the run says so', async (t) => {
  const run = await copyRun();
  const file = await claimsFile(claimsText.replace(/\.\.\/seed-drain\.yaml/g, '../smoke.yaml'));
  const { results } = await writeTalk(await openRun(run), await loadClaims(file));
  t.equal(results[0]!.verdict, 'not measured: the run has no trial of smoke');
});

t.test('a bad claims file: file, line and field, nothing run', async (t) => {
  const file = await claimsFile(claimsText.replace('    cannotRun: this host has 24 GiB', '    cannotRun: this host has 24 GiB\n    case: ../smoke.yaml').replace('talk: 16 s', 'talke: 16 s'));
  const r = await runCli(['talk', file, '--results', join(await tempDir(), 'results')]);
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /claims\.yaml:\d+:\d+: claims\.1\.talke: unknown key/);
  t.match(r.stderr, /claims\.yaml:\d+:\d+: claims\.4\.case: a claim that cannot run here names no case/);
  t.notMatch(r.stderr, /\bat .*\.js:\d+/);
});

t.test('the project\'s claims file is valid and every case it names exists', async (t) => {
  const claims = await loadClaims(join(repoRoot, 'cases', 'talk', 'claims.yaml'));
  t.ok(claims.claims.length >= 10);
  for (const [id, file] of claims.caseFiles) t.ok(await readFile(file).then(() => true, () => false), `${id}: ${file}`);
});
