import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildKey } from '../../harness/variants/build-key.js';
import { loadSeries, loadSeriesAllBases, listSeries, releaseOf, seriesBases } from '../../harness/variants/series.js';
import { tempDir } from '../helpers.js';
import { fixturesPatches } from './fixtures.js';

t.test('a series lists its patches in quilt order, comments ignored', async (t) => {
  const s = await loadSeries('does-not-apply', fixturesPatches);
  t.same(s.patches.map((p) => p.name), ['0001-context-that-does-not-exist.patch']);
  t.equal(s.patches[0]!.sha256.length, 64);
});

t.test('the shipped series all load, every release version of each', async (t) => {
  const names = await listSeries();
  t.ok(names.includes('event-loop-2015') && names.includes('drain-per-bds') && names.includes('s390-routes-per-route'));
  for (const n of names) {
    for (const s of await loadSeriesAllBases(n)) t.ok(s.patches.length > 0, `${n} ${s.base ?? ''}`);
  }
});

t.test('a per-release series is picked by the source\'s VERSION, and a missing release is named', async (t) => {
  const s = await loadSeries('drive-unit-lookup', undefined, '10.2.2');
  t.equal(s.base, '10.2');
  t.match(s.dir, /drive-unit-lookup\/qemu-10\.2$/);
  t.equal((await loadSeries('drive-unit-lookup', undefined, '7.2.22')).base, '7.2');
  t.match(await loadSeries('drive-unit-lookup', undefined, '10.0.13'), { base: '10.0', dir: /qemu-10\.0$/ }, 'a release folder may be a link to another');
  await t.rejects(loadSeries('drive-unit-lookup', undefined, '9.2.4'), {
    kind: 'input',
    message: /patch series "drive-unit-lookup" is written per QEMU release and it has no version for QEMU 9\.2\.4 \(it has: 7\.2, 10\.0, 10\.2;/,
  });
  t.same(await seriesBases(join(fixturesPatches, 'does-not-apply')), [], 'a flat series is for any base');
  t.equal(releaseOf('10.2.2\n'), '10.2');
});

t.test('missing series and missing patch files are input errors naming the file', async (t) => {
  await t.rejects(loadSeries('no-such-series', fixturesPatches), { kind: 'input', message: /no patch series "no-such-series".*known: broken-build, does-not-apply/ });
  const root = await tempDir();
  await mkdir(join(root, 'gap'));
  await writeFile(join(root, 'gap', 'series'), '0001-here.patch\n0002-missing.patch\n');
  await writeFile(join(root, 'gap', '0001-here.patch'), 'x');
  await t.rejects(loadSeries('gap', root), { kind: 'input', message: /gap\/series:2: 0002-missing\.patch: no such patch file/ });
});

t.test('the build key follows patch bytes, flags and targets, nothing else', async (t) => {
  const source = { id: 'debian-qemu-x', family: 'debian-qemu-x', label: 'x', repo: '/r', commit: 'c' };
  const series = [await loadSeries('does-not-apply', fixturesPatches)];
  const base = { source, series, configure: [], targets: ['s390x-softmmu'] };
  t.equal(buildKey(base), buildKey({ ...base, series: [{ ...series[0]!, dir: '/elsewhere' }] }), 'where the series lives does not matter');
  t.not(buildKey(base), buildKey({ ...base, series: [] }));
  t.not(buildKey(base), buildKey({ ...base, configure: ['--enable-debug'] }));
  t.not(buildKey(base), buildKey({ ...base, targets: ['x86_64-softmmu'] }));
  t.not(buildKey(base), buildKey({ ...base, source: { ...source, commit: 'd' } }));
  const edited = { ...series[0]!, patches: [{ ...series[0]!.patches[0]!, sha256: '0'.repeat(64) }] };
  t.not(buildKey(base), buildKey({ ...base, series: [edited] }), 'one changed patch byte is a new build');
});
