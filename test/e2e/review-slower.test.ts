import t from 'tap';
import { mboxOf } from '../review/mbox-of.js';
import { checkMailShape, phaseRow, reviewRun } from '../review/review-run.js';

// emuflock review of a series that makes QEMU's init about 5x slower (the per-disk drain onto
// the 2015 event loop, 400 disks: 0.7 against 3.8 s): SLOWER, exit 1, and no Tested-by even when
// asked for. A gap that wide holds beside other tests, so this file runs in the shared group.
t.test('drain-per-bds onto the 2015 event loop: SLOWER, exit 1, no Tested-by', { timeout: 1_800_000 }, async (t) => {
  const mbox = await mboxOf('drain-per-bds', { onto: ['event-loop-2015'] });
  const { r, text } = await reviewRun(t, mbox, 'disks: 400\nuntil: qemu-init\nvariants: [fixed]\nrepetitions: {min: 5, max: 10}\n', ['--tested-by', 'Ada Lovelace <ada@example.org>']);
  t.equal(r.exitCode, 1, r.stderr.split('\n').slice(-3).join('\n'));
  checkMailShape(t, text);
  t.equal(phaseRow(text, 'total')[3], 'SLOWER');
  t.same(phaseRow(text, 'guest boot'), [], 'no row for the guest phases of a case that ends at QEMU init');
  t.match(text, /The series makes total SLOWER at disks=400\./);
  t.notMatch(text, /Tested-by:/);
});
