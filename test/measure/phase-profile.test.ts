import t from 'tap';
import { frameName } from '../../harness/measure/profile/perf-samples.js';
import { profileByPhase } from '../../harness/measure/profile/phase-profile.js';

async function* samples(list: [number, string[]][]) {
  for (const [timeNs, frames] of list) yield { timeNs, frames };
}

// A start-up dominated by a list walk under drive_get, as QEMU 7.2 does with 4096 legacy -drive disks.
const stack = (leaf: string) => [leaf, 'drive_get', 'drive_new', 'qemu_init', 'main'];

t.test('samples are cut by phase window and ranked by self and inclusive share', async (t) => {
  const list: [number, string[]][] = [
    ...Array.from({ length: 6 }, (_, i) => [100 + i, stack('blk_next')] as [number, string[]]),
    ...Array.from({ length: 2 }, (_, i) => [110 + i, stack('strcmp')] as [number, string[]]),
    [120, ['g_hash_table_lookup', 'qemu_init', 'main']],
    [121, ['cpu_exec', 'qemu_thread_start']],
    [500, ['[TCG-generated code]', 'cpu_exec', 'qemu_thread_start']],
    [9999, ['outside', 'every', 'window']],
  ];
  const p = await profileByPhase(samples(list), [
    { phase: 'qemuInit', startNs: 100, endNs: 122 },
    { phase: 'guestBoot', startNs: 122, endNs: 1000 },
  ]);
  t.equal(p.qemuInit!.samples, 10);
  t.equal(p.guestBoot!.samples, 1);
  t.same(p.qemuInit!.self[0], { symbol: 'blk_next', share: 0.6, chain: stack('blk_next') });
  t.equal(p.qemuInit!.self[1]!.symbol, 'strcmp');
  const total = p.qemuInit!.total.map((x) => x.symbol);
  t.equal(total[0], 'drive_get', 'the caller owning the cost leads the inclusive list');
  t.same(p.qemuInit!.total[0]!.chain, ['drive_get', 'drive_new', 'qemu_init', 'main']);
  t.notOk(total.includes('main'), 'functions on nearly every stack are left out');
});

t.test('frames are named for people: kernel, TCG code, unknown', async (t) => {
  t.equal(frameName('drive_get+0x33', '/build/qemu-system-s390x'), 'drive_get');
  t.equal(frameName('do_sys_poll+0x1a', '[kernel.kallsyms]'), '[k] do_sys_poll');
  t.equal(frameName('[unknown]', '/tmp/perf-4242.map'), '[TCG-generated code]');
  t.equal(frameName('[unknown]', '//anon'), '[TCG-generated code]');
  t.equal(frameName('[unknown]', '[unknown]'), '[unknown]');
  t.equal(frameName('[unknown]', '/usr/lib/x86_64-linux-gnu/libglib-2.0.so.0.7400.6'), '[libglib-2.0.so.0.7400.6]');
});
