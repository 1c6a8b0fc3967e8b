import t from 'tap';
import type { Observation } from '../../harness/journal/observation.js';
import { runTrialUnder } from '../boot-helpers.js';

/** Runs the CLI with `extraFds` more fds open (no close-on-exec) than it would otherwise inherit. */
async function fdsPeakWith(extraFds: number): Promise<Observation> {
  const opens = Array.from({ length: extraFds }, (_, i) => `${20 + i}</dev/null`).join(' ');
  const r = await runTrialUnder(['bash', '-c', `exec ${opens}; exec "$@"`, 'bash'], 'four', 'disks: 4\nvariants: [system]\n');
  if (r.exitCode !== 0) throw new Error(r.all);
  return r.obs;
}

// A caller's stray fds would count against QEMU's RLIMIT_NOFILE and make every fd figure
// depend on who started emuflock (a shell's spare /dev/null, a CI runner's pipe).
t.test('fds emuflock inherits do not reach QEMU: its fd peak is the same with 5 more', { timeout: 120_000 }, async (t) => {
  const plain = await fdsPeakWith(0);
  const crowded = await fdsPeakWith(5);
  t.equal(plain.outcome, 'ok');
  t.equal(crowded.outcome, 'ok');
  t.ok((plain.resources.fdsPeak ?? 0) > 4 * 3, `fds measured: ${plain.resources.fdsPeak}`);
  // Peaks are samples; a transient fd may or may not be caught. Five leaked fds are not that.
  const more = (crowded.resources.fdsPeak ?? 0) - (plain.resources.fdsPeak ?? 0);
  t.ok(Math.abs(more) <= 1, `fd peak with 5 more inherited: ${crowded.resources.fdsPeak}, without: ${plain.resources.fdsPeak}`);
});
