import t from 'tap';
import { execa } from 'execa';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { debianQemuSource } from '../../harness/variants/debian-source.js';
import { buildKey } from '../../harness/variants/build-key.js';
import { buildsDir, ensureBuilt } from '../../harness/variants/qemu-build.js';
import { resolveVariants, sourceBuildSetup } from '../../harness/variants/resolve.js';
import { loadSeries } from '../../harness/variants/series.js';
import { loadVariantDefs, lookupVariants } from '../../harness/variants/variant-defs.js';
import { runTrial } from '../../harness/run/trial/trial.js';
import { fixturesPatches } from '../variants/fixtures.js';
import { runCli, tempDir, trialsOf } from '../helpers.js';
import { bootContext } from '../boot-helpers.js';

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
  const recipe = { source, series: [await loadSeries('broken-build', fixturesPatches)], ...(await sourceBuildSetup(source, 's390x', log)), targets: ['s390x-softmmu'] };
  const key = buildKey(recipe);
  for (const attempt of [1, 2]) {
    const err = await ensureBuilt(recipe, 'qemu-system-s390x', 'broken', log).then(
      () => undefined,
      (e: Error) => e,
    );
    t.ok(err, `attempt ${attempt} fails`);
    t.match(err, { kind: 'build' }, 'a build failure has its own exit code (4)');
    t.match(err?.message, /^ninja failed \(exit 1\); full log: (\S+)/);
    const logFile = err!.message.match(/full log: (\S+)/)![1]!;
    t.match(await readFile(logFile, 'utf8'), /emuflock test fixture: this build must fail/, 'the log holds the compiler error');
    await t.rejects(access(join(buildsDir(), key)), 'nothing published under the key');
  }
});

t.test('a series that does not apply to the real source says where', buildTimeout, async (t) => {
  const source = await debianQemuSource(log);
  const recipe = { source, series: [await loadSeries('does-not-apply', fixturesPatches)], ...(await sourceBuildSetup(source, 's390x', log)), targets: ['s390x-softmmu'] };
  await t.rejects(ensureBuilt(recipe, 'qemu-system-s390x', 'bad', log), {
    kind: 'input',
    message: /series does-not-apply, patch 0001-context-that-does-not-exist\.patch .*hw\/block\/virtio-blk\.c: hunk #2 \(@@ -40,6 \+41,7 @@\) does not apply/,
  });
});

t.test('a series without a version for the source\'s QEMU release is refused in one line', buildTimeout, async (t) => {
  const dir = await tempDir();
  const variants = join(dir, 'variants.yaml');
  await writeFile(variants, 'drain-fix-on-7.2:\n  series: [blk-aio-context-unchanged]\n');
  const r = await runCli(['build', 'drain-fix-on-7.2', '--variants', variants]);
  t.equal(r.exitCode, 2, r.all);
  t.match(r.stderr.trim(), /^emuflock: variant drain-fix-on-7\.2: patch series "blk-aio-context-unchanged" is written per QEMU release and it has no version for QEMU 7\.2\.\d+ \(it has: 10\.2;[^\n]*$/);
});

t.test('a source without the subprojects configure needs is named before configuring (exit 3)', async (t) => {
  // A checkout exported with `git archive`: subprojects/*.wrap, none of their directories.
  const dir = await tempDir();
  const tree = join(dir, 'qemu-10.9.0');
  await mkdir(join(tree, 'subprojects'), { recursive: true });
  await writeFile(join(tree, 'VERSION'), '10.9.0\n');
  await writeFile(join(tree, 'configure'), '#!/bin/sh\necho "  --python=PYTHON   use specified python"\n', { mode: 0o755 });
  for (const w of ['keycodemapdb', 'berkeley-softfloat-3', 'berkeley-testfloat-3', 'dtc']) await writeFile(join(tree, 'subprojects', `${w}.wrap`), '[wrap-git]\n');
  await execa('tar', ['-czf', join(dir, 'qemu-10.9.0.tar.gz'), '-C', dir, 'qemu-10.9.0']);
  // A cache of its own: with no other source cached, none can lend its subprojects (a cached
  // Debian source of a nearby release would, and the build would go on).
  const r = await runCli(['build', 'upstream', '--qemu-src', join(dir, 'qemu-10.9.0.tar.gz')], { env: { XDG_CACHE_HOME: join(dir, 'cache') } });
  t.equal(r.exitCode, 3, r.all);
  t.match(r.stderr, /lacks QEMU's subprojects keycodemapdb, berkeley-softfloat-3, berkeley-testfloat-3 \(subprojects\/\*\.wrap or \.gitmodules name them/);
  t.notMatch(r.stderr, /dtc/, 'only the ones every build needs');
});
