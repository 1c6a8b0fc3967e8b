import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReport } from '../../harness/report/index.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { copyRun } from './helpers.js';

// report.md's "How to reproduce": lines a reader pastes into a shell, so each runs as recorded.

async function reproduceLines(argv: string[]): Promise<string[]> {
  const run = await copyRun();
  const manifest = JSON.parse(await readFile(join(run, 'run.json'), 'utf8'));
  await writeFile(join(run, 'run.json'), JSON.stringify({ ...manifest, argv }));
  const { dir } = await writeReport(await openRun(run), { formats: ['markdown'] });
  const md = await readFile(join(dir, 'report.md'), 'utf8');
  const block = md.slice(md.indexOf('## How to reproduce'));
  return block.split('\n').filter((l) => l.startsWith('emuflock '));
}

t.test('the commands point at the results directory the run used, and quote what needs it', async (t) => {
  const lines = await reproduceLines(['emuflock', 'run', 'cases/x;$(touch pwned).yaml', '--results', '/srv/emuflock results']);
  t.equal(lines[0], "emuflock run 'cases/x;$(touch pwned).yaml' --results '/srv/emuflock results' --seed 90272357");
  t.match(lines[1], /^emuflock compare '\/srv\/emuflock results\/20261126-051305-seed-drain' {3}#/);
  t.match(lines[2], /^emuflock report '\/srv\/emuflock results\/20261126-051305-seed-drain' {4}#/);
});

t.test('without --results, the default results/', async (t) => {
  const lines = await reproduceLines(['emuflock', 'run', 'cases/seed-drain.yaml']);
  t.match(lines[1], /^emuflock compare results\/20261126-051305-seed-drain /);
});
