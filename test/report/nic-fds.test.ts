import t from 'tap';
import { join } from 'node:path';
import { buildModel } from '../../harness/report/model.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { nicFdsSection } from '../../harness/report/nic-fds-section.js';
import { repoRoot } from '../helpers.js';

// A real run of cases/nics.yaml (s390x TCG, QEMU 7.2, one disk and 1 to 1100 NICs).
const fixture = join(repoRoot, 'test', 'fixtures', 'runs', 'nics');

t.test('the fds table sets each NIC count against its fd peak, its bridges and the fds per added NIC', async (t) => {
  const model = buildModel(await openRun(fixture));
  const c = model.cases[0]!;
  const section = nicFdsSection(c);
  const table = section?.blocks[0];
  if (table?.kind !== 'table') throw new Error('expected a table');
  const rows = table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]!])));
  const journal = c.points.flatMap((p) => p.trials);
  t.same(rows.map((r) => Number(r.NICs)), [...new Set(journal.map((o) => o.params.nics!))].sort((a, b) => a - b));
  for (const r of rows) {
    const at = journal.filter((o) => o.params.nics === Number(r.NICs));
    t.equal(Number(r['fds peak']), Math.max(...at.map((o) => o.resources.fdsPeak!)), `${r.NICs} NICs: the highest peak`);
    t.equal(r['NICs seen'], r.NICs, `${r.NICs} NICs: the guest saw them all`);
  }
  t.same(rows.map((r) => r.bridges), rows.map((r) => (Number(r.NICs) <= 1023 ? '1' : '2')));
  t.equal(rows[0]!['fds per added NIC'], '-', 'the first count has nothing to add to');
  const last = rows.at(-1)!;
  const first = rows[0]!;
  t.equal(
    Number(last['fds per added NIC']).toFixed(2),
    rows.length > 1 ? ((Number(last['fds peak']) - Number(rows.at(-2)!['fds peak'])) / (Number(last.NICs) - Number(rows.at(-2)!.NICs))).toFixed(2) : 'NaN',
  );
  t.ok(Number(first['fds / NIC']) > Number(last['fds / NIC']), 'the fixed fds weigh less the more NICs share them');
});

t.test('a case without NICs gets no fds-per-NIC table', async (t) => {
  const model = buildModel(await openRun(join(repoRoot, 'test', 'fixtures', 'runs', 'seed-drain')));
  t.equal(nicFdsSection(model.cases[0]!), undefined);
});
