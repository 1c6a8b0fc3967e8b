import t from 'tap';
import { execa } from 'execa';
import { join } from 'node:path';
import { checkNicsPossible } from '../../harness/run/host/nic-host-check.js';
import { repoRoot, trialsOf } from '../helpers.js';

// A case with NICs needs a network namespace of QEMU's own: checked once, for real, before the
// run, so a host (or user) without it gets one clear error instead of a crashed QEMU per trial.

const plan = (yaml: string) => ({ seed: 1, trials: trialsOf(yaml) });

t.test('as root the check passes, and a case without NICs is not checked at all', async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs root', () => {});
    return;
  }
  await t.resolves(checkNicsPossible(plan('disks: 1\nnics: 2\n')));
  await t.resolves(checkNicsPossible(plan('disks: 1\n')));
});

t.test('a user who may not make a network namespace is told so, naming the case', async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs root to become another user', () => {});
    return;
  }
  // The built module (dist/, world-readable), run by nobody.
  const module = join(repoRoot, 'dist', 'harness', 'run', 'host', 'nic-host-check.js');
  const script = `const m = await import(${JSON.stringify(module)}); try { await m.checkNicsPossible({ seed: 1, trials: [{ case: 'nics', params: { nics: 2 } }] }); console.log('passed'); } catch (e) { console.log(e.kind + ': ' + e.message); }`;
  const r = await execa('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script], { cwd: '/tmp', reject: false });
  t.match(r.stdout, /^environment: case nics gives its guests NICs \(nics: 2\), each in a network namespace of QEMU's own, and `unshare --net` fails here \(.*Operation not permitted\): run emuflock as root$/);
});
