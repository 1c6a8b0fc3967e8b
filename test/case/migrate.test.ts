import t from 'tap';
import { caseErrorOf } from '../helpers.js';
import { parseCase } from '../../harness/case/load.js';
import { casePoints } from '../../harness/case/matrix.js';

t.test('migrate: {} means libvirt\'s default port range, and every point carries it', async (t) => {
  const c = parseCase('arch: x86_64\ndisks: 1\nguests: [1, 96]\nmigrate: {}\n', 'cases/m.yaml');
  t.same(c.spec.migrate, { ports: { from: 49152, count: 64 }, timeoutS: 300 });
  t.same(casePoints(c).map((p) => p.params.migrate?.ports), [{ from: 49152, count: 64 }, { from: 49152, count: 64 }]);
  t.equal(parseCase('disks: 1\n', 'cases/m.yaml').spec.migrate, undefined, 'no migrate: no migration');
  t.equal(parseCase('disks: 1\nmigrate: {maxBandwidthMiBs: 0.5}\n', 'cases/m.yaml').spec.migrate?.maxBandwidthMiBs, 0.5);
  t.notOk('migrate' in casePoints(parseCase('disks: 1\n', 'cases/m.yaml'))[0]!.params, 'absent from params, as journals keep them');
});

t.test('bad migrate values name their line and field', async (t) => {
  t.equal(caseErrorOf('disks: 1\nmigrate:\n  ports: {from: 80}\n'), 'cases/x.yaml:3:17: migrate.ports.from: must be at least 1024 (no privileged ports)');
  t.equal(caseErrorOf('disks: 1\nmigrate:\n  ports: {from: 65500, count: 64}\n'), 'cases/x.yaml:3:31: migrate.ports.count: the range would end at port 65563, past 65535');
  t.equal(caseErrorOf('disks: 1\nmigrate:\n  ports: {count: 0}\n'), 'cases/x.yaml:3:18: migrate.ports.count: must be at least 1');
  t.equal(caseErrorOf('disks: 1\nmigrate:\n  port: 5\n'), 'cases/x.yaml:3:3: migrate.port: unknown key "port"');
  t.equal(caseErrorOf('disks: 1\nmigrate:\n  timeoutS: 0\n'), 'cases/x.yaml:3:13: migrate.timeoutS: must be more than 0 seconds');
  t.equal(caseErrorOf('disks: 1\nmigrate:\n  maxBandwidthMiBs: 0\n'), 'cases/x.yaml:3:21: migrate.maxBandwidthMiBs: must be more than 0 MiB/s');
  t.equal(caseErrorOf('disks: 1\nmigrate:\n  maxBandwidthMiBs: 0.0000001\n'), 'cases/x.yaml:3:21: migrate.maxBandwidthMiBs: must be at least 0.001 MiB/s (about 1 KiB/s)');
  t.equal(caseErrorOf('disks: 1\nmigrate:\n  maxBandwidthMiBs: fast\n'), 'cases/x.yaml:3:21: migrate.maxBandwidthMiBs: expected a number, not text');
});
