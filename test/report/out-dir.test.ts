import t from 'tap';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeReport } from '../../harness/report/index.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { runCli, tempDir } from '../helpers.js';
import { copyRun } from './helpers.js';

// `report --out` replaces its folder whole: it must never take what emuflock did not write.

t.test('--out naming a folder with a user\'s file is refused and the file kept', async (t) => {
  const run = await copyRun();
  const out = join(await tempDir(), 'talk');
  await mkdir(out);
  await writeFile(join(out, 'slides.odp'), 'mine');
  const r = await runCli(['report', run, '--out', out, '--format', 'markdown']);
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /--out .*talk: holds files emuflock did not write \(slides\.odp\)/);
  t.equal(await readFile(join(out, 'slides.odp'), 'utf8'), 'mine');
});

t.test('--out naming the run directory, or a folder holding it, is refused and the run kept', async (t) => {
  const run = await copyRun();
  for (const out of [run, dirname(run)]) {
    const r = await runCli(['report', run, '--out', out, '--format', 'markdown']);
    t.equal(r.exitCode, 2);
    t.match(r.stderr, /is the run directory or holds it/);
  }
  t.same((await readdir(run)).sort(), ['journal.jsonl', 'run.json']);
});

t.test('--out naming a file is refused and the file kept', async (t) => {
  const run = await copyRun();
  const file = join(await tempDir(), 'case.yaml');
  await writeFile(file, 'disks: 8\n');
  const r = await runCli(['report', run, '--out', file, '--format', 'markdown']);
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /case\.yaml: is a file/);
  t.equal(await readFile(file, 'utf8'), 'disks: 8\n');
});

t.test('a new folder, an empty one, and a report emuflock wrote before are all fine', async (t) => {
  const run = await copyRun();
  const parent = await tempDir();
  const fresh = join(parent, 'new');
  await writeReport(await openRun(run), { outDir: fresh, formats: ['markdown'] });
  await writeReport(await openRun(run), { outDir: fresh, formats: ['markdown'] });
  t.ok((await stat(join(fresh, 'report.md'))).isFile());
  const empty = join(parent, 'empty');
  await mkdir(empty);
  await writeReport(await openRun(run), { outDir: empty, formats: ['markdown'] });
  t.ok((await stat(join(empty, 'report.md'))).isFile());
});

t.test('two reports of one run at once both succeed and leave no staging folder', async (t) => {
  const run = await copyRun();
  const [a, b] = await Promise.all([runCli(['report', run, '--format', 'markdown,junit']), runCli(['report', run, '--format', 'markdown,junit'])]);
  t.equal(a.exitCode, 0, a.stderr);
  t.equal(b.exitCode, 0, b.stderr);
  t.same((await readdir(run)).sort(), ['journal.jsonl', 'report', 'run.json']);
  t.same((await readdir(join(run, 'report'))).sort(), ['.emuflock-report', 'junit.xml', 'report.md']);
});

t.test('a killed report writer\'s staging folder is removed by the next report', async (t) => {
  const run = await copyRun();
  const orphan = join(run, 'report.tmp-999999999');
  await mkdir(orphan);
  await writeFile(join(orphan, 'report.md'), 'half');
  await writeReport(await openRun(run), { formats: ['markdown'] });
  t.same((await readdir(run)).sort(), ['journal.jsonl', 'report', 'run.json']);
});
