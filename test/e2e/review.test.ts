import t, { type Test } from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { median } from '../../harness/analyze/index.js';
import { readJournal } from '../../harness/journal/journal.js';
import { secs } from '../../harness/report/units.js';
import { mboxOf } from '../review/mbox-of.js';
import { reviewRun } from '../review/review-run.js';

// emuflock review on real series: git am onto Debian's QEMU 7.2 source, real builds (seconds
// once the base is built), real QEMUs. Verdicts come from interleaved trials; nothing here
// times anything itself. Both measured series change QEMU's init, so their cases end there
// (until: qemu-init): 1000 disks in 2-3 s a trial instead of about 15.

function checkMailShape(t: Test, text: string) {
  const long = text.split('\n').filter((l) => l.length > 72);
  t.same(long, [], 'every line of review.txt fits 72 columns');
  t.match(text, /^On [^\n]+(\n(?!> )[^\n]+)? wrote:\n> \[PATCH/, 'quotes the series under its author and date');
  t.match(text, /Reproduce \(emuflock .*\):\n  emuflock review series\.mbox --case /, 'says how to reproduce');
  t.match(text, /^Host: .* x .*, \d+ GiB, Linux /m, 'names the host');
  t.match(text, /^QEMU upstream|^QEMU fixed/m, 'names the QEMU builds');
}

/** The row of a phase in review.txt's table: median cells of base and series, ratio, verdict. */
function phaseRow(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`  ${label} `));
  return line ? line.slice(2 + label.length).trim().split(/\s{2,}/) : [];
}

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
