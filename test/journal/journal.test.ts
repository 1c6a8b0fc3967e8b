import t from 'tap';
import { EmuflockError } from '../../harness/core/errors.js';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendObservation, journalBeforeAppend, readJournal, repairJournal } from '../../harness/journal/journal.js';
import { observation } from '../compare/synthetic.js';
import { tempDir } from '../helpers.js';

const obs = (rep: number) => observation({ totalMs: 1000, rep });

t.test('appends whole lines and reads them back', async (t) => {
  const file = join(await tempDir(), 'journal.jsonl');
  appendObservation(file, obs(0));
  appendObservation(file, obs(1));
  t.equal((await readFile(file, 'utf8')).split('\n').length, 3);
  t.same((await readJournal(file)).map((o) => o.rep), [0, 1]);
});

t.test('a torn last line (a crash mid-write) is dropped with a warning', async (t) => {
  const file = join(await tempDir(), 'journal.jsonl');
  appendObservation(file, obs(0));
  await appendFile(file, '{"schema":1,"trialId":"b","pha');
  const warnings: string[] = [];
  t.same((await readJournal(file, (w) => warnings.push(w))).map((o) => o.rep), [0]);
  t.match(warnings[0], /incomplete last line/);
});

t.test('a journal from a newer emuflock is refused with its line', async (t) => {
  const file = join(await tempDir(), 'journal.jsonl');
  await appendFile(file, '{"schema":99,"trialId":"x"}\n');
  await t.rejects(readJournal(file), /journal\.jsonl:1: schema 99 is newer/);
});

t.test('a damaged line in the middle is refused with its line number, blank lines counted', async (t) => {
  const file = join(await tempDir(), 'journal.jsonl');
  appendObservation(file, obs(0));
  await appendFile(file, '\n\n');
  appendObservation(file, obs(1));
  await appendFile(file, 'garbage\u0000\n');
  appendObservation(file, obs(2));
  await t.rejects(readJournal(file), /journal\.jsonl:5: not a JSON line \(garbage\\x00\)/);
});

t.test('a line that is JSON but not an Observation names its field', async (t) => {
  const file = join(await tempDir(), 'journal.jsonl');
  const { phases: _, ...noPhases } = obs(0);
  await appendFile(file, JSON.stringify(noPhases) + '\n');
  await t.rejects(readJournal(file), /journal\.jsonl:1: phases: is required/);
  await appendFile(file.replace('journal', 'other'), JSON.stringify({ ...obs(0), phases: { ...obs(0).phases, totalMs: 'fast' } }) + '\n');
  await t.rejects(readJournal(file.replace('journal', 'other')), /other\.jsonl:1: phases\.totalMs: /);
});

t.test('repairJournal cuts a torn last line so the next append starts a line of its own', async (t) => {
  const file = join(await tempDir(), 'journal.jsonl');
  appendObservation(file, obs(0));
  await appendFile(file, '{"schema":1,"trialId":"b","pha');
  t.equal(await repairJournal(file), 30);
  appendObservation(file, obs(1));
  t.same((await readJournal(file, () => t.fail('no warning: nothing is torn'))).map((o) => o.rep), [0, 1]);
  t.equal(await repairJournal(file), 0, 'a whole journal is left alone');
  t.equal(await repairJournal(join(file, '..', 'none.jsonl')), 0, 'no journal yet');
});

t.test('before an append: a torn last line is cut, a journal not written yet holds nothing, damage is refused', async (t) => {
  const dir = await tempDir();
  const log: string[] = [];
  t.same(await journalBeforeAppend(join(dir, 'journal.jsonl'), (l) => log.push(l)), [], 'no journal yet');
  const file = join(dir, 'journal.jsonl');
  appendObservation(file, obs(0));
  await appendFile(file, '{"schema":1,"trialId":"b","pha');
  t.same((await journalBeforeAppend(file, (l) => log.push(l))).map((e) => e.observation.rep), [0]);
  t.match(log.join('\n'), /removed an incomplete last line \(\d+ bytes/);
  appendObservation(file, obs(1));
  t.same((await readJournal(file)).map((o) => o.rep), [0, 1], 'the next append starts a line of its own');
  await appendFile(file, 'garbage\n');
  await t.rejects(journalBeforeAppend(file, () => {}), /journal\.jsonl:3: not a JSON line/);
});

t.test('a journal on a full disk is one line naming it (exit 3), not a stack trace', async (t) => {
  // /dev/full: every write fails with ENOSPC, as a journal append on a full disk does.
  const e = (() => {
    try {
      appendObservation('/dev/full', obs(0));
    } catch (err) {
      return err as EmuflockError;
    }
    return undefined;
  })();
  t.ok(e instanceof EmuflockError, 'an EmuflockError');
  t.equal(e?.exitCode, 3);
  t.match(e?.message, /^\/dev\/full: no space left on the device; free some space/);
});
