import t from 'tap';
import net from 'node:net';
import { once } from 'node:events';
import { withDir } from 'tmp-promise';
import { GuestConsole, markerTimes } from '../../../harness/run/session/guest-console.js';
import { parseMarker } from '../../../harness/guest/protocol.js';

const marker = (line: string) => parseMarker(line)!;

t.test('markers read together are dated back by the guest uptime between them', async (t) => {
  const init = marker('EMUFLOCK init uptime=1.00');
  const ready = marker('EMUFLOCK ready disks=8 uptime=1.25');
  t.same(markerTimes([init, ready], 5000, 1000).map((m) => m.at), [4750, 5000]);
  t.same(markerTimes([ready], 5000, 1000).map((m) => m.at), [5000], 'a marker alone keeps its arrival');
});

t.test('never before the previous read, nor from an uptime that is missing or runs backwards', async (t) => {
  const init = marker('EMUFLOCK init uptime=1.00');
  const ready = marker('EMUFLOCK ready disks=8 uptime=90.00');
  t.same(markerTimes([init, ready], 5000, 4900).map((m) => m.at), [4900, 5000]);
  t.same(markerTimes([marker('EMUFLOCK init'), ready], 5000, 0).map((m) => m.at), [5000, 5000]);
  t.same(markerTimes([ready, init], 5000, 0).map((m) => m.at), [5000, 5000]);
});

t.test('a console socket that delivers init and ready in one read: the disk probe between them is not lost', async (t) => {
  await withDir(async ({ path }) => {
    const socketPath = `${path}/console.sock`;
    // Later than the 320 ms it dates back, which must not reach before the console's attach.
    const lines = 'kernel noise\r\nEMUFLOCK init uptime=3.10\r\nEMUFLOCK ready disks=8 uptime=3.42\r\n';
    const server = net.createServer((peer) => void setTimeout(() => peer.end(lines), 500));
    server.listen(socketPath);
    await once(server, 'listening');
    const guestConsole = new GuestConsole();
    const socket = net.connect(socketPath);
    guestConsole.attach(socket);
    await once(socket, 'end');
    server.close();
    const [init, ready] = guestConsole.markers;
    t.equal(guestConsole.markers.length, 2);
    t.ok(Math.abs(ready!.at - init!.at - 320) < 1e-6, `disk probe ${ready!.at - init!.at} ms`);
    t.match(guestConsole.tail(), /kernel noise/);
  }, { unsafeCleanup: true });
});
