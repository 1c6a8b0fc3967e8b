import t from 'tap';
import { createServer, type Server } from 'node:net';
import { canBind, PortRange } from '../../../../harness/run/trial/migration/port-range.js';

const listenAnywhere = (): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen({ port: 0, host: '127.0.0.1' }, () => resolve(s));
  });

t.test('ports are handed out lowest first, until the range is exhausted, in libvirt\'s words', async (t) => {
  const range = new PortRange(49152, 2, async () => true);
  t.same(await range.acquire(), { port: 49152 });
  t.same(await range.acquire(), { port: 49153 });
  t.same(await range.acquire(), { error: "Unable to find an unused port in range 'migration' (49152-49153)" });
});

t.test('libvirt\'s default range holds 64 migrations at once: the 65th gets no port', async (t) => {
  const range = new PortRange(49152, 64, async () => true);
  const grants = await Promise.all(Array.from({ length: 65 }, () => range.acquire()));
  const ports = grants.flatMap((g) => ('port' in g ? [g.port] : []));
  t.equal(new Set(ports).size, 64, 'concurrent requests never share a port');
  t.equal(Math.max(...ports), 49215);
  t.same(grants[64], { error: "Unable to find an unused port in range 'migration' (49152-49215)" });
});

t.test('a port whose bind fails is skipped for the next one, and tried again later', async (t) => {
  const busy = new Set([5001]);
  const range = new PortRange(5000, 3, async (p) => !busy.has(p));
  t.same(await range.acquire(), { port: 5000 });
  t.same(await range.acquire(), { port: 5002 }, '5001 is held by another program');
  t.match(await range.acquire(), { error: /5000-5002/ });
  busy.delete(5001);
  t.same(await range.acquire(), { port: 5001 }, 'a failed bind is not remembered as taken');
});

t.test('a released port is handed out again', async (t) => {
  const range = new PortRange(6000, 1, async () => true);
  t.same(await range.acquire(), { port: 6000 });
  t.match(await range.acquire(), { error: /Unable to find/ });
  range.release(6000);
  t.same(await range.acquire(), { port: 6000 });
});

t.test('the real bind check sees a port another listener holds', async (t) => {
  const server = await listenAnywhere();
  t.teardown(() => server.close());
  const held = (server.address() as { port: number }).port;
  t.equal(await canBind(held), false);
  const range = new PortRange(held, 1);
  t.match(await range.acquire(), { error: new RegExp(`\\(${held}-${held}\\)`) });
});
