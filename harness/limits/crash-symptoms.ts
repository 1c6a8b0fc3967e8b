/**
 * The host limit a crashed QEMU points at. The talk met each host limit as a crash, found in a
 * stderr tail one at a time; a trial's error names the limit instead, and where to look next.
 * Each symptom is what QEMU 7.2 itself prints (or how it dies), not a guess at a cause.
 */
interface Symptom {
  matches: (stderr: string, signal: string | undefined) => boolean;
  says: string;
}

const symptoms: Symptom[] = [
  {
    // open(2), eventfd(2), epoll_create(2) and GLib's wakeup pipe all fail with EMFILE; QEMU 7.2
    // dies by exit 1, SIGABRT or SIGTRAP depending on which one met the limit first.
    matches: (stderr) => /Too many open files/.test(stderr),
    says: 'QEMU ran out of open files (RLIMIT_NOFILE): `emuflock doctor CASE` shows the need and the remedy',
  },
  {
    // util/qemu-thread-posix.c error_exit(): "qemu: qemu_thread_create: <strerror>", then abort().
    matches: (stderr) => /qemu_thread_create: Resource temporarily unavailable/.test(stderr),
    says: 'QEMU could not start a thread (RLIMIT_NPROC, kernel.threads-max or pid_max): `emuflock doctor CASE` shows the need and the remedy',
  },
  {
    // chardev/char-pty.c: "-chardev pty,id=pty4: Failed to create PTY: No space left on device",
    // exit 1 at start-up: open("/dev/ptmx") gives ENOSPC past kernel.pty.max or devpts max=.
    matches: (stderr) => /Failed to create PTY: No space left on device/.test(stderr),
    says: 'QEMU ran out of ptys (kernel.pty.max, or the max= of the devpts mounted at /dev/pts): `emuflock doctor CASE` shows the need and the remedy',
  },
  {
    // softmmu/physmem.c: "cannot set up guest memory 'ram': Cannot allocate memory".
    matches: (stderr) => /cannot set up guest memory/.test(stderr),
    says: 'QEMU could not allocate guest memory: `emuflock doctor CASE` compares the need with MemAvailable and the cgroup limit',
  },
  {
    // emuflock kills QEMU only once the trial's outcome is decided (a timeout, a guest failure,
    // its end): a SIGKILL that makes it qemu-crashed came from elsewhere, under memory pressure
    // the OOM killer (in a memory cgroup too).
    matches: (_stderr, signal) => signal === 'SIGKILL',
    says: 'killed from outside, as the kernel OOM killer does (`dmesg | grep -i oom`); memory is the first limit to suspect',
  },
];

/** What a crashed QEMU's stderr and signal say about a host limit, or undefined. */
export function hostLimitSymptom(stderr: string, signal: string | undefined): string | undefined {
  return symptoms.find((s) => s.matches(stderr, signal))?.says;
}
