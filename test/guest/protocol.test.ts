import t from 'tap';
import { parseMarker } from '../../harness/guest/protocol.js';

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
