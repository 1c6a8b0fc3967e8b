import { execa } from 'execa';
import { constants, rmSync } from 'node:fs';
import { access, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCase } from '../harness/case/load.js';
import { EmuflockError } from '../harness/core/errors.js';
import { planTrials, type Trial } from '../harness/case/matrix.js';
import { resolveSystemVariant } from '../harness/variants/system-variant.js';
import { ensureGuestAssets } from '../harness/guest/assets.js';
import { archSpec, type ArchName } from '../harness/arch/index.js';
import { describeHost } from '../harness/measure/host.js';
import { projectRoot } from '../harness/core/paths.js';
import type { TrialContext } from '../harness/run/trial.js';
import type { Observation } from '../harness/journal/observation.js';

// The same whether this file runs compiled (dist/test/) or from source.
export const repoRoot = projectRoot();
export const cliPath = join(repoRoot, 'dist', 'harness', 'cli.js');

/**
 * The command that starts emuflock as a user does. tap puts its process tracker into
 * NODE_OPTIONS of every process a test starts (whatever env the test passes), which doubles
 * each emuflock start-up (0.6 s → 1.2 s here); `env -u` drops it before node starts.
 */
export function cliCommand(args: string[]): [string, string[]] {
  return ['env', ['-u', 'NODE_OPTIONS', 'node', cliPath, ...args]];
}

const madeDirs: string[] = [];
// Test directories hold disk images and cloned QEMU trees (~300 MB for bisect): gone at exit.
process.on('exit', () => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

export async function tempDir(prefix = 'emuflock-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/** Runs the built CLI the way a user does; never throws on a non-zero exit. */
export async function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  return execa(...cliCommand(args), { reject: false, cwd: opts.cwd ?? repoRoot, env: opts.env ?? {}, all: true });
}

/**
 * `emuflock run` on a one-trial case, started through `wrapper` (prlimit, a shell that joins a
 * cgroup or opens fds, ...), and the Observation its journal holds.
 */
export async function runTrialUnder(wrapper: string[], caseName: string, yaml: string, extra: string[] = []) {
  const dir = await tempDir();
  const file = await writeCase(dir, caseName, yaml);
  const [env, cli] = cliCommand(['run', file, '--results', join(dir, 'results'), ...extra]);
  const r = await execa(wrapper[0]!, [...wrapper.slice(1), env, ...cli], {
    reject: false,
    cwd: repoRoot,
    all: true,
  });
  const [runId] = await readdir(join(dir, 'results')).catch(() => []);
  if (!runId) throw new Error(`no run directory: ${r.all ?? ''}`);
  const line = (await readFile(join(dir, 'results', runId, 'journal.jsonl'), 'utf8')).trim();
  return { exitCode: r.exitCode ?? -1, obs: JSON.parse(line) as Observation, all: r.all ?? '' };
}

export async function writeCase(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return file;
}

export async function listFiles(dir: string): Promise<string[]> {
  return readdir(dir, { recursive: true }).catch(() => []);
}

/** The trials of an inline case, for tests that boot through the library. */
export function trialsOf(yaml: string, caseName = 'inline'): Trial[] {
  return planTrials([parseCase(yaml, `${caseName}.yaml`)]).trials;
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

/** The input error a case text gets, as its one message; fails the test if it loads. */
export function caseErrorOf(yaml: string, shown = 'cases/x.yaml'): string {
  try {
    parseCase(yaml, shown);
  } catch (e) {
    if (e instanceof EmuflockError && e.kind === 'input') return e.message;
    throw e;
  }
  throw new Error('expected an input error');
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
