import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Trial } from '../../../harness/case/matrix.js';
import { trialLine } from '../../../harness/run/schedule/progress.js';
import { repoRoot } from '../../helpers.js';
import type { Observation } from '../../../harness/record/observation.js';

const journal = readFileSync(join(repoRoot, 'test', 'fixtures', 'runs', 'migration', 'journal.jsonl'), 'utf8');
const observations = journal.trim().split('\n').map((l) => JSON.parse(l) as Observation);
const trialOf = (o: Observation) => ({ case: o.case, variant: o.variant.name, point: o.point, warmup: false, rep: 0 }) as Trial;

t.test('a migrating trial\'s progress line says how many guests migrated, in how long, and how many had no port', async (t) => {
  const o96 = observations.find((o) => o.params.guests === 96)!;
  const line = trialLine(3, 4, trialOf(o96), o96, undefined);
  t.match(line, new RegExp(`; migrated 64/96 in ${(o96.migration!.allEndedMs! / 1000).toFixed(2)} s \\(32 without a port\\)$`));
  const o16 = observations.find((o) => o.params.guests === 16)!;
  t.match(trialLine(2, 4, trialOf(o16), o16, undefined), /; migrated 16\/16 in [\d.]+ s$/);
  const { migration: _, ...plain } = o16;
  t.notMatch(trialLine(2, 4, trialOf(o16), plain as Observation, undefined), /migrated/, 'a trial without migrate: says nothing of it');
});
