import t from 'tap';
import { initScript } from '../../harness/guest/init-script.js';
import { failureReason, kernelArgs, parseMarker, readyCounts } from '../../harness/guest/protocol.js';

t.test('marker lines of the guest protocol', async (t) => {
  t.same(parseMarker('EMUFLOCK init uptime=2.95'), { kind: 'init', fields: { uptime: '2.95' }, uptimeS: 2.95 });
  t.same(parseMarker('EMUFLOCK ready disks=1000 uptime=8.67'), {
    kind: 'ready',
    fields: { disks: '1000', uptime: '8.67' },
    uptimeS: 8.67,
  });
  t.match(parseMarker('EMUFLOCK failed reason=disks-missing disks=7 expected=8 uptime=60.1'), {
    kind: 'failed',
    fields: { reason: 'disks-missing', disks: '7', expected: '8' },
  });
});

t.test('a marker after console noise still counts', async (t) => {
  t.match(parseMarker('\u001b[0m[    3.1] EMUFLOCK ready disks=8 uptime=3.1'), { kind: 'ready' });
});

t.test('anything else the guest prints is ignored', async (t) => {
  t.equal(parseMarker('virtio_blk virtio1: [vda] 2048 512-byte logical blocks'), undefined);
  t.equal(parseMarker('EMUFLOCK'), undefined);
  t.equal(parseMarker('EMUFLOCK bogus x=1'), undefined);
  t.equal(parseMarker('emuflock ready disks=8'), undefined);
  t.equal(parseMarker('EMUFLOCK ready disks=8 uptime=abc')?.uptimeS, undefined);
});

t.test('the orders on the kernel command line: NICs only when there are some, hold or answer', async (t) => {
  t.same(kernelArgs({ disks: 8, nics: 0, giveUpS: 5, afterReady: 'answer' }), ['emuflock.disks=8', 'emuflock.probe_timeout=5', 'emuflock.answer=1']);
  t.same(kernelArgs({ disks: 1, nics: 40, giveUpS: 17, afterReady: 'hold' }), ['emuflock.disks=1', 'emuflock.nics=40', 'emuflock.probe_timeout=17', 'emuflock.hold=1']);
});

t.test('the init script reads every kernel argument the harness gives', async (t) => {
  const every = [...kernelArgs({ disks: 1, nics: 1, giveUpS: 1, afterReady: 'hold' }), ...kernelArgs({ disks: 1, nics: 0, giveUpS: 1, afterReady: 'answer' })];
  for (const name of new Set(every.map((a) => a.slice(0, a.indexOf('='))))) t.match(initScript, `${name}=`, name);
});

t.test("a ready marker's counts, and a failed marker in words", async (t) => {
  t.same(readyCounts(parseMarker('EMUFLOCK ready disks=8 nics=2 uptime=3.1')!), { disks: 8, nics: 2 });
  t.same(readyCounts(parseMarker('EMUFLOCK ready uptime=3.1')!), { disks: null, nics: null }, 'a count the guest did not give is null, not 0');
  t.equal(failureReason(parseMarker('EMUFLOCK failed reason=disks-missing disks=7 expected=8 nics=0 expected_nics=0 uptime=60.1')!), 'disks-missing (saw 7 of 8 disks)');
  t.equal(failureReason(parseMarker('EMUFLOCK failed reason=nics-missing disks=8 expected=8 nics=3 expected_nics=4 uptime=60.1')!), 'nics-missing (saw 8 of 8 disks, 3 of 4 NICs)');
  t.equal(failureReason(parseMarker('EMUFLOCK failed uptime=1')!), 'no reason given (saw ? of ? disks)');
});
