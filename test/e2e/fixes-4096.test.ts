import t from 'tap';
import { resolveVariants } from '../../harness/variants/resolve.js';
import { loadVariantDefs, lookupVariants } from '../../harness/variants/variant-defs.js';
import { runTrial } from '../../harness/run/trial/trial.js';
import { trialsOf } from '../helpers.js';
import { bootContext } from '../boot-helpers.js';

// The two 4096-disk fixes apply to Debian's QEMU 7.2, build, and boot a guest that sees every
// disk with the 2015 -drive syntax; their effect is measured by drive-unit-lookup.test.ts and
// cases/disks-4096-fixes.yaml, not here.
t.test('tcg-dirty-clear-listeners and both fixes together apply, build and boot', { timeout: 1_800_000 }, async (t) => {
  const names = ['upstream', 'tcg-dirty-clear-listeners', 'both-4096-fixes'];
  const variants = await resolveVariants(lookupVariants(names, await loadVariantDefs(), 'test'), 's390x', { log: (l) => t.comment(l) });
  const digests = names.map((n) => variants.get(n)!.record.binarySha256);
  t.equal(new Set(digests).size, 3, 'three different binaries');
  t.same(variants.get('both-4096-fixes')!.record.series, ['drive-unit-lookup', 'tcg-dirty-clear-listeners']);
  const [trial] = trialsOf('disks: 64\ndrives: legacy\n');
  for (const name of names.slice(1)) {
    const obs = await runTrial(trial!, { ...(await bootContext()), variant: variants.get(name)! });
    t.equal(obs.outcome, 'ok', `${name}: ${obs.error?.message ?? 'ok'}`);
    t.equal(obs.guest.disksSeen, 64, `${name}: every disk seen`);
  }
});
