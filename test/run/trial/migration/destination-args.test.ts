import t from 'tap';
import { destinationArgs } from '../../../../harness/run/trial/migration/destination-args.js';

const source = ['-S', '-chardev', 'socket,id=qmp,path=/t/qmp.sock', '-mon', 'chardev=qmp,mode=control', '-chardev', 'socket,id=console,path=/t/console.sock', '-m', '128M'];
const moved = [
  { from: '/t/qmp.sock', to: '/t/destination-qmp.sock' },
  { from: '/t/console.sock', to: '/t/destination-console.sock' },
];

t.test('the destination runs the source\'s command line, its own sockets, and waits for migrate-incoming', async (t) => {
  t.same(destinationArgs(source, moved), [
    '-S', '-chardev', 'socket,id=qmp,path=/t/destination-qmp.sock', '-mon', 'chardev=qmp,mode=control',
    '-chardev', 'socket,id=console,path=/t/destination-console.sock', '-m', '128M', '-incoming', 'defer',
  ]);
});

t.test('a source command line without the socket is refused, never shared with the source', async (t) => {
  t.throws(() => destinationArgs(source.filter((a) => !a.includes('console.sock')), moved), /no socket at \/t\/console\.sock/);
});
