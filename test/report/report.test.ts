import t from 'tap';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReport } from '../../harness/report/index.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { assertWellFormedXml, copyRun, fixtureObservations, inspectPng, runWith, seedDrainVariants } from './helpers.js';

const expectedFiles = [
  'junit.xml',
  'report.html',
  'report.md',
  ...['startup', 'phases', 'spread'].flatMap((c) => [`seed-drain-${c}.png`, `seed-drain-${c}-talk.png`, `seed-drain-${c}.svg`]),
].sort();

t.test('writeReport regenerates results/<run>/report/ from journal.jsonl and run.json', async (t) => {
  const run = await copyRun();
  const result = await writeReport(await openRun(run));
  t.equal(result.dir, join(run, 'report'));
  t.same((await readdir(result.dir)).sort(), ['.emuflock-report', ...expectedFiles]);
  t.same(result.files.map((f) => f.slice(result.dir.length + 1)).sort(), expectedFiles);
  t.match(result.notes, [/IRQ routing chart not drawn/]);
  const talk = await inspectPng(join(result.dir, 'seed-drain-startup-talk.png'));
  t.same([talk.width, talk.height], [1920, 1080]);

  // A second report replaces the first whole: nothing stale survives, no staging dir remains.
  await writeFile(join(result.dir, 'stale.png'), 'x');
  await writeReport(await openRun(run));
  t.same((await readdir(result.dir)).sort(), ['.emuflock-report', ...expectedFiles]);
  t.same((await readdir(run)).sort(), ['journal.jsonl', 'report', 'run.json']);
});

t.test('report.md: comparison with the baseline at every point, medians, growth, counts, metadata, how to reproduce', async (t) => {
  const run = await copyRun();
  const { dir } = await writeReport(await openRun(run), { formats: ['markdown'] });
  const md = await readFile(join(dir, 'report.md'), 'utf8');
  t.match(md, '| point | variant | unfixed median [CI] | variant median [CI] | ratio [CI] | p | test | n | verdict |');
  // 3 + 3 trials, every one of fixed's apart from unfixed's at 250 disks: Welch's test on log
  // times decides; the rest stay UNKNOWN (a wild trial each side at 500, one unfixed boot at 1000).
  t.match(md, '| disks=250 | fixed | 6.64 [6.40, 7.33] | 4.69 [4.47, 4.98] | 0.69× [0.60×, 0.80×] | 0.0027 | Welch on log times | 3+3 | FASTER |');
  for (const [d, v] of [[250, 'upstream'], [500, 'fixed'], [500, 'upstream'], [1000, 'fixed'], [1000, 'upstream']]) t.match(md, new RegExp(`\\| disks=${d} \\| ${v} \\| [^\\n]*\\| UNKNOWN \\|`));
  t.match(md, '| disks=1000 | upstream | 154 [154, 154] | 12.8 [12.3, 13.7] | 0.083× [0.080×, 0.089×] | 0.50 | rank test | 1+3 | UNKNOWN |');
  t.match(md, 'fixed at disks=1000: only 1 trial(s) on one side; need at least 3');
  t.match(md, /fixed at disks=500: inconclusive \(p = 0\.0641, [^\n]*Welch on log times/);
  t.match(md, '| disks=1000 | unfixed | 1/3 |');
  t.match(md, /\| unfixed \| - \| 250, 500, 1000 \| 2\.2 \| \[1\.\d\d, 2\.\d\d\] \|/);
  t.match(md, '| disks=1000 | fixed | disksSeen | 1000 | 1000 | EQUAL |');
  t.match(md, 'Not measured in this run: routeCommits, routesAdded, routesReleased, irqfdNotifies, userspaceNotifies, irqfdFallbacks.');
  t.match(md, 'seed-drain/unfixed/disks=1000/r1: timeout (guest-boot: guest-boot did not finish within 80 s)');
  t.match(md, '```sh\nemuflock run cases/seed-drain.yaml --seed 90272357\n');
  t.match(md, '```yaml\ndescription: >\n');
  t.match(md, '| unfixed | 7.2.22 | 6f0baf70ff2b1bcb | event-loop-2015, drain-per-bds |');
  t.match(md, '| kernel package | kernel version | busybox |');
  t.match(md, '| limit aioMaxNr | 65536 |');
  t.match(md, '![Start-up time vs disks: seed-drain](seed-drain-startup.png)');
  t.match(md, 'IRQ routing chart not drawn');
});

t.test('junit.xml: one test case per compared point; UNKNOWN is skipped, not passed', async (t) => {
  const { dir } = await writeReport(await openRun(await copyRun()), { formats: ['junit'] });
  const xml = await readFile(join(dir, 'junit.xml'), 'utf8');
  assertWellFormedXml(xml);
  t.equal([...xml.matchAll(/<testcase /g)].length, 6);
  t.match(xml, '<testsuite name="seed-drain" tests="6" failures="0" errors="0" skipped="5">');
  t.match(xml, '<testcase classname="emuflock.seed-drain.disks=1000" name="upstream vs unfixed (totalMs)" time="12.781"><skipped message=');
});

t.test('junit.xml: a SLOWER point is a failure, FASTER passes', async (t) => {
  // 5 trials a side (3 cannot reach p < 0.01): `fixed` made 30% slower than `unfixed` at 250
  // disks, `upstream` made 3× faster.
  const base = (await fixtureObservations()).filter((o) => o.params.disks === 250 && o.outcome === 'ok');
  const obs = seedDrainVariants.flatMap((variant) => {
    const proto = base.find((o) => o.variant.name === variant)!;
    const factor = variant === 'fixed' ? 1.3 : variant === 'upstream' ? 1 / 3 : 1;
    return [0, 1, 2, 3, 4].map((rep) => {
      const total = (6000 + rep * 50) * factor;
      return { ...proto, rep, trialId: `seed-drain/${variant}/disks=250/r${rep}`, phases: { ...proto.phases, totalMs: total } };
    });
  });
  const { dir } = await writeReport(await openRun(await runWith(obs)), { formats: ['junit', 'html'] });
  const xml = await readFile(join(dir, 'junit.xml'), 'utf8');
  assertWellFormedXml(xml);
  t.match(xml, 'tests="2" failures="1" errors="0" skipped="0"');
  t.match(xml, /name="fixed vs unfixed \(totalMs\)" time="[\d.]+"><failure type="SLOWER" message="fixed 7\.93 s vs unfixed 6\.10 s: ratio 1\.30×/);
  t.match(xml, /name="upstream vs unfixed \(totalMs\)" time="[\d.]+"><system-out>/);
  t.match(await readFile(join(dir, 'report.html'), 'utf8'), '<td class="verdict-SLOWER">SLOWER</td>');
});

t.test('characters that are markup in Markdown, HTML or XML come out as text', async (t) => {
  const obs = (await fixtureObservations()).map((o) =>
    o.outcome === 'ok' ? o : { ...o, error: { message: 'a <b>&"quoted"</b> | *star* \u0001 message', phase: 'guest-boot' as const } },
  );
  const { dir } = await writeReport(await openRun(await runWith(obs)), { formats: ['markdown', 'html', 'junit'] });
  const md = await readFile(join(dir, 'report.md'), 'utf8');
  t.match(md, 'a \\<b\\>&"quoted"\\</b\\> | \\*star\\*');
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  t.match(html, 'a &lt;b&gt;&amp;&quot;quoted&quot;&lt;/b&gt; | *star*');
  t.notMatch(html, '<b>');
});

t.test("report.md's metadata row quotes the command as its reproduce block does", async (t) => {
  const run = await copyRun();
  const manifest = JSON.parse(await readFile(join(run, 'run.json'), 'utf8'));
  await writeFile(join(run, 'run.json'), JSON.stringify({ ...manifest, argv: ['emuflock', 'run', 'my cases/seed drain.yaml', '--results', '$HOME/r'] }));
  const { dir } = await writeReport(await openRun(run), { formats: ['markdown'] });
  const md = await readFile(join(dir, 'report.md'), 'utf8');
  const row = md.split('\n').find((l) => /\bcommand\b/.test(l) && l.includes('emuflock run'));
  t.ok(row?.includes("'my cases/seed drain.yaml'") && row.includes("'$HOME/r'"), `quoted: ${row}`);
});

t.test('an unknown format is an input error naming the known ones', async (t) => {
  await t.rejects(writeReport(await openRun(await copyRun()), { formats: ['pdf'] }), { message: 'unknown report format pdf (known: png, svg, markdown, html, junit)' });
});
