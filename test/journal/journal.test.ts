import t from 'tap';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendObservation, readJournal } from '../../harness/journal/journal.js';
import type { Observation } from '../../harness/journal/observation.js';
import { tempDir } from '../helpers.js';

const obs = (trialId: string) => ({ schema: 1, trialId }) as unknown as Observation;

t.test('appends whole lines and reads them back', async (t) => {
  const file = join(await tempDir(), 'journal.jsonl');
  appendObservation(file, obs('a'));
  appendObservation(file, obs('b'));
  t.equal((await readFile(file, 'utf8')).split('\n').length, 3);
  t.same((await readJournal(file)).map((o) => o.trialId), ['a', 'b']);
});

t.test('a torn last line (a crash mid-write) is dropped with a warning', async (t) => {
  const file = join(await tempDir(), 'journal.jsonl');
  appendObservation(file, obs('a'));
  await appendFile(file, '{"schema":1,"trialId":"b","pha');
  const warnings: string[] = [];
  t.same((await readJournal(file, (w) => warnings.push(w))).map((o) => o.trialId), ['a']);
  t.match(warnings[0], /incomplete last line/);
});

t.test('a journal from a newer emuflock is refused with its line', async (t) => {
  const file = join(await tempDir(), 'journal.jsonl');
  await appendFile(file, '{"schema":99,"trialId":"x"}\n');
  await t.rejects(readJournal(file), /journal\.jsonl:1: schema 99 is newer/);
});
