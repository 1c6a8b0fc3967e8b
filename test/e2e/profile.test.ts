import t from 'tap';
import { resolveVariants } from '../../harness/variants/resolve.js';
import { loadVariantDefs, lookupVariants } from '../../harness/variants/variant-defs.js';
import { perfUnavailable } from '../../harness/measure/profile/perf-availability.js';
import { runTrial } from '../../harness/run/trial/trial.js';
import { trialsOf } from '../helpers.js';
import { bootContext } from '../boot-helpers.js';

// A real boot of a QEMU that emuflock built (with symbols and frame pointers), profiled.
t.test('profiling a small boot gives per-phase tables of QEMU symbols', { timeout: 1_800_000 }, async (t) => {
  const why = await perfUnavailable();
  if (why) {
    t.skip(`perf unavailable: ${why}`, () => {});
    return;
  }
  const defs = lookupVariants(['upstream'], await loadVariantDefs(), 'test');
  const upstream = (await resolveVariants(defs, 's390x', { log: (l) => t.comment(l) })).get('upstream')!;
  const [trial] = trialsOf('disks: 200\ndrives: legacy\n');
  const obs = await runTrial(trial!, { ...(await bootContext()), variant: upstream, profile: true });
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  const p = obs.profile!;
  t.same(Object.keys(p).sort(), ['diskProbe', 'guestBoot', 'qemuInit', 'shutdown']);
  t.ok(p.qemuInit!.samples > 10, `QEMU init was sampled from its start (${p.qemuInit!.samples} samples)`);
  t.ok(p.guestBoot!.samples > 100, 'the guest boot has hundreds of samples');
  for (const phase of ['qemuInit', 'guestBoot'] as const) {
    const top = p[phase]!.self.slice(0, 5).map((s) => s.symbol);
    t.ok(top.every((s) => !/^(0x)?[0-9a-f]{6,}$/.test(s)), `${phase}: names, not addresses: ${top.join(', ')}`);
    t.ok(
      p[phase]!.total.some((s) => /^[a-z_][a-z0-9_]*$/.test(s.symbol) && !s.symbol.startsWith('g_')),
      `${phase}: a QEMU function among the inclusive top: ${p[phase]!.total.map((s) => s.symbol).join(', ')}`,
    );
  }
  const shares = p.guestBoot!.self.map((s) => s.share);
  t.same(shares, [...shares].sort((a, b) => b - a), 'ranked by share');
});
