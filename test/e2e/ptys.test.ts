import t from 'tap';
import { execa } from 'execa';
import { runTrialUnder } from '../boot-helpers.js';

/**
 * The pty limit met without touching the host: emuflock runs in a mount namespace of its own
 * with a private devpts instance of max=8 on /dev/pts (and /dev/ptmx bound to its ptmx), so
 * every pty QEMU opens counts against those 8 and the host's ptys are never used up.
 * Checked here: QEMU 7.2 opens 8 pty consoles in it and fails on the 9th with
 * "-chardev pty,id=pty8: Failed to create PTY: No space left on device", exit 1.
 */
const max = 8;
const privateDevpts = [
  'unshare', '--mount', '--propagation', 'private', 'sh', '-c',
  `mount -t devpts -o newinstance,ptmxmode=0666,max=${max} devpts /dev/pts && mount --bind /dev/pts/ptmx /dev/ptmx && exec "$@"`, 'sh',
];

async function unusable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root to mount a private devpts instance';
  const r = await execa(privateDevpts[0]!, [...privateDevpts.slice(1), 'true'], { reject: false, all: true });
  return r.exitCode === 0 ? undefined : `cannot mount a private devpts here: ${r.all ?? ''}`;
}

const caseText = (ptys: number) => `arch: s390x\ndisks: 1\nptys: ${ptys}\n`;

t.test('ptys against a devpts instance of max=8', { timeout: 110_000 }, async (t) => {
  const skip = await unusable();
  if (skip) {
    t.skip(skip, () => {});
    return;
  }

  t.test('8 consoles fit and the guest boots; the room is read from the instance', async (t) => {
    const { obs } = await runTrialUnder(privateDevpts, 'ptys-8', caseText(max));
    t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
    t.same(obs.host.limits.ptyRoom, { free: max, by: 'devpts max=' });
    t.equal(obs.params.ptys, max);
  });

  t.test('9 consoles: the preflight predicts the limit before boot and says the remedy', async (t) => {
    const { exitCode, obs } = await runTrialUnder(privateDevpts, 'ptys-9', caseText(max + 1));
    t.equal(exitCode, 1);
    t.equal(obs.outcome, 'refused-by-preflight');
    t.match(obs.error?.message, /ptys free in \/dev\/pts \(its devpts max=\): needs 9 ptys, the host has 8; mount \/dev\/pts with room/);
    t.equal(obs.resources.rssPeakKiB, null, 'no QEMU ran');
  });

  t.test('9 consoles with --no-preflight: QEMU fails to open the 9th pty, and the outcome names the limit', async (t) => {
    // With an env:, the recorded command line reruns the same QEMU: the environment comes first.
    const { obs } = await runTrialUnder(privateDevpts, 'ptys-9-booted', `${caseText(max + 1)}env: {MALLOC_ARENA_MAX: 2}\n`, ['--no-preflight']);
    t.equal(obs.outcome, 'qemu-crashed');
    t.equal(obs.error?.exitCode, 1);
    t.match(obs.error?.stderrTail, /-chardev pty,id=pty8: Failed to create PTY: No space left on device/);
    t.match(obs.error?.message, /QEMU ran out of ptys \(kernel\.pty\.max, or the max= of the devpts/);
    t.match(obs.error?.commandLine, /^MALLOC_ARENA_MAX=2 \S*qemu-system-s390x .*-chardev pty,id=pty0 -device virtconsole,chardev=pty0,bus=ptyser0\.0/);
  });
});

t.test('x86_64: 33 consoles on two virtio-serial-pci controllers, beside the probe guest\'s disks', { timeout: 60_000 }, async (t) => {
  // The host's own devpts: 33 ptys for a second, given back when QEMU exits.
  const { obs } = await runTrialUnder(['env'], 'ptys-x86', 'arch: x86_64\naccel: tcg\ndisks: 2\nptys: 33\n');
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  t.equal(obs.guest.disksSeen, 2);
});
