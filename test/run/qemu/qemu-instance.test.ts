import t from 'tap';
import { connect } from 'node:net';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QemuInstance } from '../../../harness/run/qemu/qemu-instance.js';
import { tempDir } from '../../helpers.js';

// A stand-in for QEMU, started the way QEMU is: it connects to the sockets its -chardev
// options name, greets on QMP with an event before the greeting's answer, answers every
// command, and waits to be killed.
const fakeQemu = `#!/usr/bin/env node
const net = require('node:net');
const path = (id) => process.argv.find((a) => a.startsWith('socket,id=' + id + ',')).split('path=')[1];
const qmp = net.connect(path('qmp'), () => qmp.write(JSON.stringify({ QMP: { version: {} } }) + '\\n'));
qmp.setEncoding('utf8');
qmp.on('data', (chunk) => {
  for (const line of chunk.split('\\n').filter(Boolean)) {
    qmp.write(JSON.stringify({ event: 'SEEN', data: JSON.parse(line) }) + '\\n' + JSON.stringify({ return: {} }) + '\\n');
  }
});
net.connect(path('console'), function () { this.write('console up\\n'); });
setInterval(() => {}, 1000);
`;

async function fake(dir: string): Promise<string> {
  const file = join(dir, 'fake-qemu.cjs');
  await writeFile(file, fakeQemu);
  await chmod(file, 0o755);
  return file;
}

const chardevs = (i: QemuInstance) => ['-chardev', `socket,id=qmp,path=${i.sockets.qmp}`, '-chardev', `socket,id=console,path=${i.sockets.console}`];

t.test('sockets in the directory, named for a second QEMU of the same guest', async (t) => {
  const dir = await tempDir();
  const first = await QemuInstance.listen(dir);
  const second = await QemuInstance.listen(dir, 'destination');
  t.same(first.sockets, { qmp: join(dir, 'qmp.sock'), console: join(dir, 'console.sock') });
  t.same(second.sockets, { qmp: join(dir, 'destination-qmp.sock'), console: join(dir, 'destination-console.sock') });
  await first.end();
  await second.end();
});

t.test('launch, handshake and console; end kills QEMU and leaves no socket', async (t) => {
  const dir = await tempDir();
  const binary = await fake(dir);
  const instance = await QemuInstance.listen(dir);
  t.equal(instance.process, undefined, 'no process before launch');
  const qemu = instance.launch(binary, chardevs(instance), { env: { GREETING: 'hello world' } });
  t.equal(instance.process, qemu);
  t.match(instance.commandLine, /^'GREETING=hello world' \S*fake-qemu\.cjs -chardev /, 'the command line reruns QEMU with its environment');
  const events: string[] = [];
  const qmp = await instance.handshake((e) => events.push(e.event));
  t.same(events, ['SEEN'], 'events from the first command on');
  t.same(await qmp.execute('query-status'), {});
  const consoleSocket = await instance.console();
  t.ok(consoleSocket.readable, 'the console is connected');
  await instance.end();
  const exit = await qemu.exited;
  t.equal(exit.signal, 'SIGKILL', 'the process group was killed');
  t.ok(consoleSocket.destroyed, 'the console connection is closed');
  t.same((await readdir(dir)).filter((n) => n.endsWith('.sock')), [], 'both sockets are gone');
  await t.rejects(
    new Promise((resolve, reject) => connect(instance.sockets.qmp).on('connect', resolve).on('error', reject)),
    /ENOENT|ECONNREFUSED/,
  );
});
