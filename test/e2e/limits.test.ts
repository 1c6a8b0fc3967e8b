import t from 'tap';
import { fdsToStartBase } from '../../harness/limits/needs.js';
import { runTrialUnder } from '../boot-helpers.js';

/**
 * The open-file model against a real QEMU: the CLI runs under `prlimit --nofile=N:N` (a hard
 * limit, so emuflock cannot raise it and QEMU inherits exactly N).
 * Measured here (QEMU 7.2, N = 400): 200 disks need 615 fds running (15 + 3 per disk) and are
 * refused; --no-preflight, QEMU starts with up to 388 disks (predicted N - 12 = 388) and dies on
 * "Too many open files" beyond it, by SIGABRT or SIGTRAP as its QMP monitor's iothread finds no
 * fd left (harness/limits/needs.ts).
 */
const N = 400;

async function runUnderLimit(disks: number, extra: string[] = []) {
  return runTrialUnder(['prlimit', `--nofile=${N}:${N}`], `fds-${disks}`, `disks: ${disks}\nvariants: [system]\n`, extra);
}

t.test('a trial that needs more open files than the hard limit is refused, not booted', { timeout: 120_000 }, async (t) => {
  const { exitCode, obs } = await runUnderLimit(200);
  t.equal(exitCode, 1);
  t.equal(obs.outcome, 'refused-by-preflight');
  t.match(obs.error?.message, /open files per QEMU \(RLIMIT_NOFILE\): needs 615 fds, the host has 400/);
  t.equal(obs.phases.qemuInitMs, null);
  t.equal(obs.resources.fdsPeak, null, 'no QEMU ran');
});

t.test('--no-preflight: QEMU fails on "Too many open files" at the predicted disk count', { timeout: 600_000 }, async (t) => {
  const predicted = N - fdsToStartBase; // the most disks QEMU starts with
  const crashes = async (disks: number) => {
    const { obs } = await runUnderLimit(disks, ['--no-preflight']);
    if (obs.outcome === 'ok') return false;
    t.equal(obs.outcome, 'qemu-crashed', `${disks} disks`);
    t.match(obs.error?.stderrTail, /Too many open files/);
    t.match(obs.error?.message, /QEMU ran out of open files \(RLIMIT_NOFILE\)/, 'the error names the limit');
    return true;
  };
  // Bisect the first disk count that crashes, between 20 % below and above the prediction.
  let [lo, hi] = [Math.floor(predicted * 0.8), Math.ceil(predicted * 1.2)];
  t.notOk(await crashes(lo), `${lo} disks start`);
  t.ok(await crashes(hi), `${hi} disks do not`);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await crashes(mid)) hi = mid;
    else lo = mid;
  }
  t.comment(`most disks QEMU starts with under ${N} fds: predicted ${predicted}, measured ${lo}`);
  t.ok(Math.abs(lo - predicted) <= 0.05 * predicted, `measured ${lo} within 5 % of predicted ${predicted}`);
});
