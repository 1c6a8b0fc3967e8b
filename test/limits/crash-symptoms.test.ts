import t from 'tap';
import { hostLimitSymptom } from '../../harness/limits/crash-symptoms.js';

// Stderr tails of real QEMU 7.2 deaths: under `prlimit --nofile=400:400` with 389-391 file disks
// (recorded here), and the thread and memory failures as QEMU's source prints them.
t.test('a crash names the host limit QEMU met', async (t) => {
  const cases: [string, string | undefined, RegExp | undefined][] = [
    [
      "qemu-system-s390x: -mon chardev=qmp,mode=control: GLib: Creating pipes for GWakeup: Too many open files\n",
      'SIGTRAP',
      /ran out of open files \(RLIMIT_NOFILE\)/,
    ],
    [
      'Failed to create epoll instance: Too many open filesUnexpected error in aio_context_new() at ../../util/async.c:576:\n' +
        'qemu-system-s390x: -mon chardev=qmp,mode=control: Failed to initialize event notifier: Too many open files\n',
      'SIGABRT',
      /ran out of open files/,
    ],
    ['qemu: qemu_thread_create: Resource temporarily unavailable\n', 'SIGABRT', /could not start a thread \(RLIMIT_NPROC, kernel\.threads-max or pid_max\)/],
    ["qemu-system-s390x: cannot set up guest memory 's390.ram': Cannot allocate memory\n", undefined, /could not allocate guest memory/],
    ['', 'SIGKILL', /OOM killer/],
    // Debian's QEMU 7.2, exit 1 at start-up, in a devpts instance mounted with max=8 (test/e2e/ptys.test.ts).
    ['qemu-system-s390x: -chardev pty,id=pty8: Failed to create PTY: No space left on device\n', undefined, /ran out of ptys \(kernel\.pty\.max, or the max= of the devpts/],
    // Not a host limit: no symptom, the message stays as it was.
    ["qemu-system-s390x: -device virtio-blk-ccw,drive=nope: Property 'virtio-blk-device.drive' can't find value 'nope'\n", undefined, undefined],
    ['', 'SIGSEGV', undefined],
  ];
  for (const [stderr, signal, says] of cases) {
    const symptom = hostLimitSymptom(stderr, signal);
    if (says) t.match(symptom, says, stderr.split('\n')[0] || (signal ?? ''));
    else t.equal(symptom, undefined, stderr.split('\n')[0] || (signal ?? ''));
  }
});
