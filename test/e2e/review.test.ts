import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { median } from '../../harness/analyze/index.js';
import { readJournal } from '../../harness/journal/journal.js';
import { secs } from '../../harness/report/units.js';
import { mboxOf } from '../review/mbox-of.js';
import { checkMailShape, phaseRow, reviewRun } from '../review/review-run.js';

// emuflock review on a real series: git am onto Debian's QEMU 7.2 source, real builds (seconds
// once the base is built), real QEMUs. The verdict comes from interleaved trials; nothing here
// times anything itself. The series changes QEMU's init, so the case ends there (until:
// qemu-init): 1000 disks in 2-3 s a trial instead of about 15. Its gap (init 0.61x) is one a
// neighbouring test could blur: this file runs alone (review-slower.test.ts, a 5x gap, does not).

t.test('drive-unit-lookup from git format-patch --stdout: QEMU init FASTER, figures as in the journal', { timeout: 1_800_000 }, async (t) => {
  const mbox = await mboxOf('drive-unit-lookup');
  const { r, runDir, text } = await reviewRun(t, mbox, 'disks: 1000\ndrives: legacy\nuntil: qemu-init\nvariants: [upstream]\nrepetitions: {min: 5, max: 10}\ntimeouts: {qemuInitS: 300}\n', [
    '--metric',
    'qemuInitMs',
    '--tested-by',
    'Ada Lovelace <ada@example.org>',
  ]);
  t.equal(r.exitCode, 0, r.stderr.split('\n').slice(-3).join('\n'));
  checkMailShape(t, text);
  const journal = await readJournal(join(runDir, 'journal.jsonl'));
  const init = (variant: string) => median(journal.filter((o) => o.variant.name === variant && o.outcome === 'ok' && !o.warmup).map((o) => o.phases.qemuInitMs!));
  const seriesVariant = journal.find((o) => o.variant.name !== 'upstream')!.variant;
  t.same(seriesVariant.series, [seriesVariant.name], 'the series variant carries the posted series');
  const [base, series, , verdict] = phaseRow(text, 'QEMU init');
  t.equal(base, `${secs(init('upstream'))} s`, 'base median as in the journal');
  t.equal(series, `${secs(init(seriesVariant.name))} s`, 'series median as in the journal');
  t.equal(verdict, 'FASTER');
  t.match(text, /Changed: .*QEMU init FASTER/);
  t.match(text, /^Tested-by: Ada Lovelace <ada@example\.org>$/m);
  t.match(await readFile(join(runDir, 'report', 'report.html'), 'utf8'), /<html/);
});
