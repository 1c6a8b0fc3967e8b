import t from 'tap';
import { runCli, tempDir, writeCase } from '../helpers.js';

// Real fleets: `doctor --capacity` boots 2 x 8, 4 x 8 and 2 x 64 s390x guests (TCG) and projects.
t.test('doctor --capacity measures fleets, fits costs and names the binding limit for this host and a described one', { timeout: 400_000 }, async (t) => {
  const dir = await tempDir();
  const file = await writeCase(dir, 'small', 'disks: 16\nmemoryMiB: 256\n');
  const r = await runCli(['doctor', '--capacity', file, '--host', 'cpus=64,mem=2T']);
  t.equal(r.exitCode, 0, r.all);
  const out = r.stdout;
  t.match(out, /^capacity for guests like .*small\.yaml \(disks=16, 256 MiB RAM, variant system, QEMU \d.*; fleets held 5 s\)$/m);
  for (const fleet of ['2 x 8', '4 x 8', '2 x 64']) t.match(out, new RegExp(`^${fleet} +\\d+ +\\d+ +\\d+ +0\\.\\d{3} +\\d+$`, 'm'), `fleet ${fleet} measured with idle CPU and committed memory`);
  t.match(out, /^QEMU's environment: the harness's only; vm\.overcommit_memory \d/m, 'says under which environment the costs were measured');
  // Exact: one image fd and two notifier eventfds (host and guest side) per disk of one queue.
  t.match(out, /^per disk +[\d.]+ +3\.00 /m, 'three fds per disk');
  t.match(out, /^this host \(\d+ CPUs, [\d.]+ GiB\): binds first at \d+ guests: .+ \(\d+ disks\)/m);
  t.match(out, /^described host \(64 CPUs, 2048 GiB\): binds first at \d+ guests/m);
  // The bound follows from the measured per-guest fds, so it is derived rather than written down
  // (it once read 12 where emuflock's caller leaked an fd into QEMU, 11 elsewhere).
  const perGuestFds = Number(/^per guest +[\d.]+ +([\d.]+) /m.exec(out)?.[1]);
  t.ok(perGuestFds > 0, `per-guest fds measured: ${perGuestFds}`);
  const nofileBound = Math.floor((524288 - perGuestFds) / 3);
  t.match(out, new RegExp(`^open files per QEMU \\(RLIMIT_NOFILE\\) +\\d+ +${nofileBound}$`, 'm'), `nofile 524288 on the described host: (524288 - ${perGuestFds}) / 3 = ${nofileBound}`);
  t.match(out, /nofile 524288 \(systemd's default hard limit\)/);
  t.match(r.stderr, /guest 4\/4 ready/, 'progress on stderr');
});

t.test('doctor --capacity refuses what it cannot do, in one line', async (t) => {
  for (const [args, message] of [
    [['doctor', '--capacity', 'cases/smoke.yaml', 'cases/disks-1000.yaml'], /--capacity projects one case; got 2/],
    [['doctor', '--host', 'cpus=4,mem=8G', 'cases/smoke.yaml'], /--host describes a host for --capacity: add --capacity/],
    [['doctor', '--capacity', '--host', 'cpus=4', 'cases/smoke.yaml'], /say at least cpus= and mem=/],
    [['doctor', '--hold', '30', 'cases/smoke.yaml'], /--hold holds the fleets for --capacity: add --capacity/],
    [['doctor', '--capacity', '--hold', '0', 'cases/smoke.yaml'], /--hold 0 measures no idle CPU/],
    [['doctor', '--capacity', '--hold', 'long', 'cases/smoke.yaml'], /option '--hold <seconds>' argument 'long' is invalid. expected a whole number/],
  ] as const) {
    const r = await runCli([...args]);
    t.equal(r.exitCode, 2, r.all);
    t.match(r.stderr, message);
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});
