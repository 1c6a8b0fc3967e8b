import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildKey } from '../../harness/build/build-key.js';
import { loadSeries, listSeries } from '../../harness/build/series.js';
import { tempDir } from '../helpers.js';
import { fixturesPatches } from './fixtures.js';

t.test('a series lists its patches in quilt order, comments ignored', async (t) => {
  const s = await loadSeries('does-not-apply', fixturesPatches);
  t.same(s.patches.map((p) => p.name), ['0001-context-that-does-not-exist.patch']);
  t.equal(s.patches[0]!.sha256.length, 64);
});

t.test('the shipped series all load', async (t) => {
  const names = await listSeries();
  t.ok(names.includes('event-loop-2015') && names.includes('drain-per-bds') && names.includes('s390-routes-per-route'));
  for (const n of names) t.ok((await loadSeries(n)).patches.length > 0, n);
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
