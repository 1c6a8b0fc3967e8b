import { execa } from 'execa';
import { constants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveSystemVariant } from '../harness/variants/system-variant.js';
import { ensureGuestAssets } from '../harness/guest/assets.js';
import { archSpec, type ArchName } from '../harness/arch/index.js';
import { describeHost } from '../harness/measure/host.js';
import type { TrialContext } from '../harness/run/trial/trial.js';
import { cliCommand, repoRoot, tempDir, writeCase } from './helpers.js';
import type { Observation } from '../harness/record/observation.js';

// Helpers of the tests that boot guests or start QEMU (test/e2e mostly).

/**
 * `emuflock run` on a one-trial case, started through `wrapper` (prlimit, a shell that joins a
 * cgroup or opens fds, ...), and the Observation its journal holds. `onStart` is given the
 * pid the CLI will run as (the wrappers exec in place), to watch its QEMU while it runs.
 */
export async function runTrialUnder(wrapper: string[], caseName: string, yaml: string, extra: string[] = [], onStart?: (pid: number) => void) {
  const dir = await tempDir();
  const file = await writeCase(dir, caseName, yaml);
  const [env, cli] = cliCommand(['run', file, '--results', join(dir, 'results'), ...extra]);
  const child = execa(wrapper[0]!, [...wrapper.slice(1), env, ...cli], {
    reject: false,
    cwd: repoRoot,
    all: true,
  });
  if (onStart && child.pid !== undefined) onStart(child.pid);
  const r = await child;
  const [runId] = await readdir(join(dir, 'results')).catch(() => []);
  if (!runId) throw new Error(`no run directory: ${r.all ?? ''}`);
  const line = (await readFile(join(dir, 'results', runId, 'journal.jsonl'), 'utf8')).trim();
  return { exitCode: r.exitCode ?? -1, obs: JSON.parse(line) as Observation, all: r.all ?? '' };
}

const contexts = new Map<ArchName, Promise<TrialContext>>();

/** Guest assets, Debian's QEMU and the host record, resolved once per test file (and arch). */
export function bootContext(arch: ArchName = 's390x'): Promise<TrialContext> {
  let context = contexts.get(arch);
  if (!context) {
    context = (async () => ({
      runId: 'test',
      assets: await ensureGuestAssets(arch),
      variant: await resolveSystemVariant(archSpec(arch).qemuBinary),
      host: await describeHost(),
    }))();
    contexts.set(arch, context);
  }
  return context;
}

/** Why KVM trials cannot run here, or undefined: no /dev/kvm, or a KVM that does not start. */
export async function kvmUnusable(): Promise<string | undefined> {
  const denied = await access('/dev/kvm', constants.R_OK | constants.W_OK).then(
    () => undefined,
    (e: NodeJS.ErrnoException) => `/dev/kvm is not usable here (${e.code}): KVM trials need it`,
  );
  if (denied) return denied;
  const args = ['-machine', 'none', '-accel', 'kvm', '-nodefaults', '-no-user-config', '-display', 'none', '-monitor', 'stdio'];
  const r = await execa('qemu-system-x86_64', args, { input: 'quit\n', reject: false, timeout: 60_000 });
  return r.exitCode === 0 ? undefined : `KVM does not start here: ${String(r.stderr).trim().split('\n').pop()}`;
}

/** Runs still: gone, or a zombie its parent has not reaped yet, runs no more. */
export async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/^\d+ \(.*\) Z/.test(stat);
}

/** Whether `pid` stops running within `withinMs` (a killed harness's QEMU dies by a signal). */
export async function goneWithin(pid: number, withinMs: number): Promise<boolean> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; await sleep(50)) {
    if (!(await running(pid))) return true;
  }
  return !(await running(pid));
}

/**
 * QEMU processes this test process started (setpriv and the launch prologue exec QEMU in place,
 * so this process is their parent; other e2e files run beside it, and a developer may run a
 * second suite at once). By process name, as the cleanup tests find leftovers with pgrep -P.
 */
export async function qemuCount(): Promise<number> {
  const r = await execa('pgrep', ['-c', '-P', String(process.pid), '^qemu-system'], { reject: false });
  return Number(r.stdout.trim() || 0);
}

/** The most of this process's QEMUs seen alive at once while `work` runs, looking every `everyMs`. */
export async function withQemuPeak<T>(everyMs: number, work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = 0;
  const watch = setInterval(() => void qemuCount().then((n) => (peak = Math.max(peak, n))), everyMs);
  const result = await work().finally(() => clearInterval(watch));
  return { result, peak };
}
