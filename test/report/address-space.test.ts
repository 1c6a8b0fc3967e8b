import t from 'tap';
import { join } from 'node:path';
import { openRun } from '../../harness/journal/opened-run.js';
import { buildModel } from '../../harness/report/model.js';
import { addressSpaceTable } from '../../harness/report/address-space-table.js';
import { repoRoot } from '../helpers.js';
import { seedDrainFixture } from './helpers.js';

// A real run of cases/malloc-arenas.yaml (Debian's QEMU 7.2, 2 trials per environment), and the
// seed-drain run, recorded before address space was measured.
const arenasRun = join(repoRoot, 'test', 'fixtures', 'runs', 'malloc-arenas');

t.test('a case with env: tables VmPeak, committed memory and arena heaps per environment', async (t) => {
  const model = buildModel(await openRun(arenasRun));
  const section = addressSpaceTable(model.cases[0]!)!;
  t.ok(section, 'shown');
  const block = section.blocks[0]!;
  if (block.kind !== 'table') return void t.fail('a table');
  const rows = new Map(block.rows.map((r) => [r[0], r]));
  t.same([...rows.keys()].sort(), ['env=MALLOC_ARENA_MAX=1', 'env=MALLOC_ARENA_MAX=4', 'env=inherited']);
  const [inherited, one, four] = ['env=inherited', 'env=MALLOC_ARENA_MAX=1', 'env=MALLOC_ARENA_MAX=4'].map((p) => rows.get(p)!);
  t.equal(one[4], '0', 'MALLOC_ARENA_MAX=1: no heap besides the main arena');
  t.equal(four[4], '3', 'MALLOC_ARENA_MAX=4: the main arena and 3 heaps');
  t.ok(Number(inherited[4]) > 3);
  t.ok(Number(inherited[2]) > Number(four[2]) && Number(four[2]) > Number(one[2]), 'VmPeak falls with the arena count');
});

t.test('journals from before address space was measured still load, and show no such table', async (t) => {
  const model = buildModel(await openRun(seedDrainFixture));
  t.ok(model.cases.length > 0);
  for (const c of model.cases) t.equal(addressSpaceTable(c), undefined);
});
