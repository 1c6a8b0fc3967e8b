import t from 'tap';
import { readFileSync } from 'node:fs';
import { migrationEnded, parseQueryMigrate } from '../../../../harness/run/trial/migration/query-migrate.js';
import { join } from 'node:path';
import { repoRoot } from '../../../helpers.js';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test', 'fixtures', 'migration', name), 'utf8');

/** The returns of every query-migrate in a recorded QMP transcript, in order. */
function queryMigrateReturns(transcript: string): unknown[] {
  const lines = transcript.split('\n');
  const out: unknown[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('-> ') && JSON.parse(line.slice(3)).execute === 'query-migrate') {
      const answer = lines.slice(i + 1).find((l) => l.startsWith('<- ') && !('event' in JSON.parse(l.slice(3))));
      out.push((JSON.parse(answer!.slice(3)) as { return: unknown }).return);
    }
  });
  return out;
}

for (const [name, ram] of [
  ['x86-probe-source.qmp.log', 134553600],
  ['s390x-source.qmp.log', 268435456],
] as const) {
  t.test(`a recorded migration (${name}): setup, active, then completed with QEMU's times`, async (t) => {
    const statuses = queryMigrateReturns(fixture(name)).map(parseQueryMigrate);
    t.ok(statuses.length >= 3, `${statuses.length} polls`);
    const last = statuses.at(-1)!;
    t.equal(last.status, 'completed');
    t.ok(migrationEnded(last));
    t.ok(statuses.slice(0, -1).every((s) => !migrationEnded(s)), 'no poll before the last one ended it');
    t.ok(statuses.some((s) => s.status === 'active'), 'active seen on the way');
    const raw = queryMigrateReturns(fixture(name)).at(-1) as Record<string, number> & { ram: Record<string, number> };
    t.same(
      { totalMs: last.totalMs, downtimeMs: last.downtimeMs, setupMs: last.setupMs, transferredBytes: last.transferredBytes },
      { totalMs: raw['total-time'], downtimeMs: raw.downtime, setupMs: raw['setup-time'], transferredBytes: raw.ram.transferred },
    );
    t.ok(last.transferredBytes! > 0 && last.transferredBytes! <= ram, `${last.transferredBytes} bytes of ${ram} sent`);
    t.ok(last.downtimeMs! < last.totalMs!, 'the guest was stopped for part of the migration only');
    const active = statuses.find((s) => s.status === 'active')!;
    t.equal(active.downtimeMs, null, 'no downtime while active (expected-downtime is not one)');
  });
}

t.test('before any migration, a failed one and a cancelled one', async (t) => {
  const f = JSON.parse(fixture('x86-probe-failed-cancelled.json')) as Record<string, { return: unknown }>;
  const before = parseQueryMigrate(f.before!.return);
  t.equal(before.status, 'none');
  t.notOk(migrationEnded(before), 'nothing started is not something ended');
  const failed = parseQueryMigrate(f.failed!.return);
  t.match(failed, { status: 'failed', errorDesc: "Failed to connect to '127.0.0.1:49997': Connection refused", totalMs: null, transferredBytes: null });
  t.ok(migrationEnded(failed));
  t.match(parseQueryMigrate(f.cancelled!.return), { status: 'cancelled', errorDesc: null });
});

t.test('a return that is not query-migrate\'s is an error, not a status', async (t) => {
  t.throws(() => parseQueryMigrate(null), /not an object/);
  t.throws(() => parseQueryMigrate({ status: 3 }), /not a string/);
});
