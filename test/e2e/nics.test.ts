import t from 'tap';
import { execa } from 'execa';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GuestSession } from '../../harness/run/session/guest-session.js';
import { runTrial } from '../../harness/run/trial/trial.js';
import { cliPath, tempDir, trialsOf, writeCase } from '../helpers.js';
import { bootContext, goneWithin, kvmUnusable } from '../boot-helpers.js';

// A real s390x guest with a handful of virtio-net NICs, each on a tap in a network namespace of
// QEMU's own: the guest sees them all, and neither the namespace nor its taps outlive QEMU,
// however the harness ends. The host's own interfaces are compared before and after.

const hostLinks = async () => (await execa('ip', ['-o', 'link', 'show'])).stdout.split('\n').map((l) => l.split(':')[1]!.trim()).sort();
const liveNetNamespaces = async () => (await execa('lsns', ['-t', 'net', '-n', '-o', 'NS'])).stdout.split('\n').map((l) => l.trim());
const netNamespaceOf = async (pid: number) => (await readlink(`/proc/${pid}/ns/net`)).replace(/^net:\[(\d+)\]$/, '$1');

t.test('a guest given 5 NICs sees 5; its namespace and taps are gone with QEMU, the host untouched', { timeout: 120_000 }, async (t) => {
  const ctx = await bootContext();
  const before = await hostLinks();
  const [trial] = trialsOf('disks: 1\nnics: 5\n');
  let seen: { ns: string; taps: string[]; comm: string; fds: number; tunFds: number } | undefined;
  const session = new GuestSession(trial!, ctx, {
    onSpawn: (pid) => {
      // Read while QEMU runs, once it holds its taps (past the launcher and the namespace's
      // setup): the pid the harness samples is QEMU's, inside its own namespace.
      void (async () => {
        for (const deadline = Date.now() + 60_000; seen === undefined && Date.now() < deadline; await sleep(100)) {
          const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
          const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
          const tunFds = targets.filter((l) => l === '/dev/net/tun').length;
          if (tunFds < 5) continue;
          const taps = await execa('nsenter', ['-t', String(pid), '-n', 'ip', '-o', 'link', 'show', 'type', 'tun'], { reject: false });
          seen = {
            fds: fds.length,
            tunFds,
            ns: await netNamespaceOf(pid).catch(() => ''),
            taps: taps.stdout.split('\n').filter(Boolean).map((l) => l.split(':')[1]!.trim().replace(/@.*/, '')),
            comm: (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim(),
          };
        }
      })();
    },
  });
  const run = await session.run();
  t.equal(run.outcome, 'ok', run.error?.message ?? '');
  t.equal(run.guest.nicsSeen, 5, 'the guest counted every NIC');
  t.equal(run.guest.disksSeen, 1);
  t.ok(seen, 'QEMU was seen holding a tap fd per NIC while it ran');
  t.equal(seen!.comm, 'qemu-system-s39', 'the sampled pid is QEMU itself');
  t.not(seen!.ns, await netNamespaceOf(process.pid), 'QEMU ran in a namespace of its own');
  t.same(seen!.taps.sort(), ['t0', 't1', 't2', 't3', 't4']);
  t.notOk((await liveNetNamespaces()).includes(seen!.ns), 'the namespace died with QEMU');
  t.same(await hostLinks(), before, "the host's interfaces are as they were");
  // QEMU's fds only grow until the guest powers off: 17 here (5 NICs, a disk) while the guest
  // boots, 34 once its driver has brought the NICs' virtqueues up (their eventfds), which is also
  // when it reports ready (and waits for the harness's sample). The peak is at least what was
  // seen while QEMU ran.
  t.ok(run.resources.fdsPeak! >= seen!.fds, `the fd peak (${String(run.resources.fdsPeak)}) counts what QEMU held while it ran (${seen!.fds})`);
});

t.test('a guest missing NICs says so: guest-failed, reason nics-missing', { timeout: 120_000 }, async (t) => {
  const [trial] = trialsOf('disks: 1\nnics: 2\ntimeouts: {diskProbeS: 6}\n');
  const obs = await runTrial(trial!, { ...(await bootContext()), expectNics: 3 });
  t.equal(obs.outcome, 'guest-failed');
  t.match(obs.error?.message, /nics-missing/);
  t.match(obs.error?.message, /saw 1 of 1 disks, 2 of 3 NICs/);
});

t.test('SIGKILL of emuflock mid-trial: QEMU and its namespace of taps are gone', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir();
  const file = await writeCase(dir, 'nics', 'disks: 1\nnics: 64\n');
  const harness = execa('node', [cliPath, 'run', file, '--results', join(dir, 'results')], { reject: false, cwd: dir });
  let qemu = 0;
  for (let i = 0; i < 300 && qemu === 0; i++) {
    const r = await execa('pgrep', ['-P', String(harness.pid), '-f', 'qemu-system-s390x.*qmp\\.sock'], { reject: false });
    qemu = Number(r.stdout.trim().split('\n')[0]) || 0;
    if (qemu === 0) await sleep(100);
  }
  t.ok(qemu > 0, 'the harness started QEMU');
  // Wait until QEMU itself runs (its taps exist), past the namespace setup.
  let ns = '';
  for (let i = 0; i < 100; i++) {
    const comm = await readFile(`/proc/${qemu}/comm`, 'utf8').catch(() => '');
    if (comm.startsWith('qemu-system')) {
      ns = await netNamespaceOf(qemu);
      break;
    }
    await sleep(50);
  }
  t.ok(ns !== '' && ns !== (await netNamespaceOf(process.pid)), 'QEMU runs in a namespace of its own');
  harness.kill('SIGKILL');
  await harness;
  let left = true;
  for (let i = 0; i < 100 && left; i++) {
    left = (await liveNetNamespaces()).includes(ns);
    if (left) await sleep(50);
  }
  t.notOk(left, `namespace ${ns} is gone after emuflock was SIGKILLed`);
  // lsns finds namespaces through /proc/*/ns, and a task drops its namespaces early in do_exit
  // (exit_task_namespaces), before the final close of its files (task_work_run) and long before
  // it becomes a zombie (exit_notify). With 64 taps that close is slow: tun_chr_close waits in
  // rcu_barrier once per tap. Measured on this kernel (6.18) with a process holding 64 taps in
  // its own namespace, SIGKILLed, /proc sampled in a tight loop: in 20 of 20 rounds the ns link
  // vanished first and the zombie came 1.5-2.2 s later, the task meanwhile in state D with the
  // stack do_exit → task_work_run → __fput → tun_chr_close → netdev_run_todo → rcu_barrier;
  // with no taps the two were seen in the same look (17) or the zombie first (3). So a QEMU seen
  // running once its namespace is gone is one caught mid-exit, not one that outlived emuflock:
  // what proves it is that it has no namespace left (only do_exit clears a task's nsproxy), and
  // then that it is gone within the time its taps take to close on a loaded host.
  const nsLink = await readlink(`/proc/${qemu}/ns/net`).then(() => 'present', (e: NodeJS.ErrnoException) => e.code ?? 'error');
  t.not(nsLink, 'present', `QEMU ${qemu} has left its namespace (ns/net: ${nsLink}): it is exiting, or gone`);
  t.ok(await goneWithin(qemu, 20_000), 'QEMU is gone once its taps are closed');
});

const x86 = (yaml: string) => trialsOf(`arch: x86_64\nmemoryMiB: 128\ndisk: {backend: null-co}\n${yaml}`)[0]!;

t.test('x86_64 TCG: the probe boots beside 40 virtio-net-pci NICs on the bridges and counts them', { timeout: 120_000 }, async (t) => {
  const obs = await runTrial(x86('disks: 2\nnics: 40\n'), await bootContext('x86_64'));
  t.equal(obs.outcome, 'ok', obs.error ? `${obs.error.message}\n${obs.error.stderrTail ?? ''}` : '');
  t.equal(obs.guest.disksSeen, 2);
  t.equal(obs.guest.nicsSeen, 40, 'the probe counted every NIC behind the bridges');
  t.ok(obs.resources.fdsPeak! >= 40, `each NIC's tap is open in QEMU (${String(obs.resources.fdsPeak)} fds)`);
});

t.test('x86_64 KVM: the probe boots beside NICs', { skip: await kvmUnusable(), timeout: 300_000 }, async (t) => {
  const obs = await runTrial(x86('accel: kvm\ndisks: 2\nnics: 64\n'), await bootContext('x86_64'));
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  t.equal(obs.host.limits.kvmIrqRoutes !== null, true);
});
