import t from 'tap';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { debianQemuSource } from '../../harness/build/debian-source.js';
import { buildKey } from '../../harness/build/build-key.js';
import { baseConfigureFlags, buildsDir, ensureBuilt } from '../../harness/build/qemu-build.js';
import { resolveVariants } from '../../harness/build/resolve.js';
import { loadSeries } from '../../harness/build/series.js';
import { loadVariantDefs, lookupVariants } from '../../harness/build/variant-defs.js';
import { runTrial } from '../../harness/run/trial.js';
import { fixturesPatches } from '../build/fixtures.js';
import { bootContext, trialsOf } from '../helpers.js';

// Real builds of Debian's QEMU 7.2 source: minutes on a fresh machine, cached afterwards
// (~/.cache/emuflock/builds, ccache).
const log = (line: string) => t.comment(line);
const buildTimeout = { timeout: 1_800_000 };

t.test('two variants of one source: both built, binaries differ, both boot 16 disks', buildTimeout, async (t) => {
  const defs = lookupVariants(['upstream', 'unfixed'], await loadVariantDefs(), 'test');
  const variants = await resolveVariants(defs, 's390x', { log });
  const upstream = variants.get('upstream')!;
  const unfixed = variants.get('unfixed')!;
  t.not(upstream.record.buildKey, unfixed.record.buildKey);
  t.not(upstream.record.binarySha256, unfixed.record.binarySha256, 'the series changed the binary');
  t.same(unfixed.record.series, ['event-loop-2015', 'drain-per-bds']);
  t.match(upstream.record.qemuVersion, /^7\.2/);
  const [trial] = trialsOf('disks: 16\n');
  for (const v of [upstream, unfixed]) {
    const obs = await runTrial(trial!, { ...(await bootContext()), variant: v });
    t.equal(obs.outcome, 'ok', `${v.record.name}: ${obs.error?.message ?? 'ok'}`);
    t.equal(obs.guest.disksSeen, 16, `${v.record.name} saw every disk`);
  }
  const again = await resolveVariants(defs, 's390x', { log });
  t.equal(again.get('unfixed')!.binary, unfixed.binary, 'an unchanged variant is not rebuilt');
});

t.test('a failed build keeps its log and publishes nothing', buildTimeout, async (t) => {
  const source = await debianQemuSource(log);
  const recipe = { source, series: [await loadSeries('broken-build', fixturesPatches)], configure: baseConfigureFlags, targets: ['s390x-softmmu'] };
  const key = buildKey(recipe);
  for (const attempt of [1, 2]) {
    const err = await ensureBuilt(recipe, 'qemu-system-s390x', 'broken', log).then(
      () => undefined,
      (e: Error) => e,
    );
    t.ok(err, `attempt ${attempt} fails`);
    t.match(err?.message, /^ninja failed \(exit 1\); full log: (\S+)/);
    const logFile = err!.message.match(/full log: (\S+)/)![1]!;
    t.match(await readFile(logFile, 'utf8'), /emuflock test fixture: this build must fail/, 'the log holds the compiler error');
    await t.rejects(access(join(buildsDir(), key)), 'nothing published under the key');
  }
});

t.test('a series that does not apply to the real source says where', buildTimeout, async (t) => {
  const source = await debianQemuSource(log);
  const recipe = { source, series: [await loadSeries('does-not-apply', fixturesPatches)], configure: baseConfigureFlags, targets: ['s390x-softmmu'] };
  await t.rejects(ensureBuilt(recipe, 'qemu-system-s390x', 'bad', log), {
    kind: 'input',
    message: /series does-not-apply, patch 0001-context-that-does-not-exist\.patch .*hw\/block\/virtio-blk\.c: hunk #2 \(@@ -40,6 \+41,7 @@\) does not apply/,
  });
});
