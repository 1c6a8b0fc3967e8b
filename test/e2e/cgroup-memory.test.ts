import t from 'tap';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ownMemoryCgroup } from '../../harness/measure/cgroup-memory.js';
import { runTrialUnder } from '../boot-helpers.js';

/**
 * The memory limit against real QEMUs: the CLI runs inside a child memory cgroup of the test's
 * own (v1 or v2), capped at 400 MiB. A fleet of 8 small guests needs ~100 MiB each (the model,
 * harness/limits/needs.ts; measured 107-125 MiB per guest in cases/guests-sweep.yaml): the
 * preflight refuses it naming memory; booted anyway, the kernel OOM-kills QEMUs and the trial
 * ends qemu-crashed by SIGKILL instead of hanging; 2 guests fit and boot.
 */
const capMiB = 400;

async function memoryCgroup(): Promise<{ dir: string; limitFile: string } | string> {
  const own = await ownMemoryCgroup();
  if (!own) return 'no memory cgroup';
  const dir = join(own.dir, own.path, `emuflock-test-${process.pid}`);
  try {
    await mkdir(dir);
    await writeFile(join(dir, own.limit), String(capMiB * 1024 * 1024));
  } catch (e) {
    return `cannot create a memory cgroup here: ${(e as Error).message}`;
  }
  // With swap, the kernel would page the QEMUs out rather than OOM-kill them: cap swap too.
  const swapCap = own.limit === 'memory.max' ? ['memory.swap.max', '0'] : ['memory.memsw.limit_in_bytes', String(capMiB * 1024 * 1024)];
  const swapCapped = await writeFile(join(dir, swapCap[0]!), swapCap[1]!).then(() => true, () => false);
  const swapKiB = Number(/^SwapTotal:\s+(\d+)/m.exec(await readFile('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  if (!swapCapped && swapKiB > 0) {
    await rmdir(dir).catch(() => {});
    return `the host has swap and its memory cgroup cannot cap it (${swapCap[0]}): QEMUs would swap, not be OOM-killed`;
  }
  return { dir, limitFile: own.limit };
}

const cgroup = await memoryCgroup();
t.teardown(async () => {
  if (typeof cgroup !== 'string') await rmdir(cgroup.dir).catch(() => {});
});

async function runCapped(guests: number, extra: string[] = []) {
  if (typeof cgroup === 'string') throw new Error(cgroup);
  // The shell joins the cgroup, then becomes the CLI: everything it starts is capped.
  const joinCgroup = ['sh', '-c', `echo $$ > ${cgroup.dir}/cgroup.procs && exec "$@"`, 'sh'];
  return runTrialUnder(joinCgroup, `mem-${guests}`, `disks: 4\nmemoryMiB: 256\nguests: ${guests}\nguestStarts: 2\nvariants: [system]\n`, extra);
}

const skip = typeof cgroup === 'string' ? cgroup : false;

t.test(`under a ${capMiB} MiB cgroup a fleet of 8 small guests is refused, naming memory`, { timeout: 120_000, skip }, async (t) => {
  const { exitCode, obs } = await runCapped(8);
  t.equal(exitCode, 1);
  t.equal(obs.outcome, 'refused-by-preflight');
  t.match(obs.error?.message, /memory \(MemAvailable, or the cgroup limit\): needs \d+ MiB, the host has \d+/);
  const have = Number(/the host has (\d+)/.exec(obs.error!.message)![1]);
  t.ok(have <= capMiB, `the cgroup's headroom (${have} MiB) is what the preflight saw, not the host's MemAvailable`);
});

t.test('booted anyway, the QEMUs past the cap are OOM-killed and the trial says so', { timeout: 300_000, skip }, async (t) => {
  const { obs } = await runCapped(8, ['--no-preflight']);
  t.equal(obs.outcome, 'qemu-crashed', obs.error?.message ?? '');
  t.ok(obs.guests!.some((g) => g.error?.signal === 'SIGKILL'), `a guest's QEMU died of SIGKILL: ${obs.guests!.map((g) => g.error?.signal ?? g.outcome).join(', ')}`);
  const killed = obs.guests!.find((g) => g.error?.signal === 'SIGKILL');
  t.match(killed?.error?.message, /killed from outside, as the kernel OOM killer does/, 'its error points at memory');
});

t.test('two small guests fit under the cap and boot', { timeout: 300_000, skip }, async (t) => {
  const { exitCode, obs } = await runCapped(2);
  t.equal(exitCode, 0);
  t.equal(obs.outcome, 'ok', obs.error?.message ?? '');
  t.ok(obs.resources.rssPeakKiB! / 1024 < capMiB, `the fleet peaked at ${(obs.resources.rssPeakKiB! / 1024).toFixed(0)} MiB`);
});
