import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { cacheRoot, projectRoot } from '../../core/paths.js';

/** KVM_CAP_IRQ_ROUTING (linux/kvm.h): its KVM_CHECK_EXTENSION value is the most GSI routes a VM may have. */
export const kvmCapIrqRouting = 25;

export const kvmDevice = '/dev/kvm';

/** The host's route limit, or why it could not be read. */
export interface RouteLimit {
  /**
   * KVM_CHECK_EXTENSION(KVM_CAP_IRQ_ROUTING) on /dev/kvm (KVM_MAX_IRQ_ROUTES: 4096 on current
   * x86_64 and s390x kernels, 1024 on older x86). QEMU 7.2 sizes its GSI space one below it
   * (kvm_init_irq_routing: gsi_count = value - 1). 0 means KVM without GSI routing.
   */
  routes: number | null;
  reason?: string;
}

const source = (): string => join(projectRoot(), 'harness', 'measure', 'irq', 'kvm-caps.c');

/**
 * The kvm-caps helper, compiled once with the system gcc into the cache, keyed by a hash of its
 * source: a hit costs one access() and no compiler. Compiled to a temporary name and renamed,
 * so two processes building at once both end with a whole binary.
 */
export async function kvmCapsTool(): Promise<string> {
  const text = await readFile(source());
  const key = createHash('sha256').update(text).update(process.arch).digest('hex').slice(0, 16);
  const dir = join(cacheRoot(), 'tools', `kvm-caps-${key}`);
  const binary = join(dir, 'kvm-caps');
  if (await exists(binary)) return binary;
  await mkdir(dir, { recursive: true });
  const temporary = `${binary}.${process.pid}.tmp`;
  try {
    const result = await execa('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', temporary, source()], { reject: false });
    if ((result as { code?: string }).code === 'ENOENT') throw new Error('gcc is not installed (apt-get install gcc, or `make setup`)');
    if (result.failed) throw new Error(`gcc could not build ${source()}: ${String(result.stderr).trim()}`);
    await rename(temporary, binary);
  } finally {
    await rm(temporary, { force: true });
  }
  return binary;
}

/**
 * Reads the route limit of a KVM device. Never throws: a host without KVM, without the
 * permission to open it, or without gcc gets null and the reason.
 */
export async function readRouteLimit(device = kvmDevice): Promise<RouteLimit> {
  if (!(await exists(device))) return { routes: null, reason: `${device} does not exist: no KVM on this host` };
  let tool: string;
  try {
    tool = await kvmCapsTool();
  } catch (err) {
    return { routes: null, reason: (err as Error).message };
  }
  const result = await execa(tool, ['--device', device, String(kvmCapIrqRouting)], { reject: false });
  if (result.failed) {
    const why = String(result.stderr).trim() || `exit ${result.exitCode ?? result.signal}`;
    return { routes: null, reason: why };
  }
  const value = Number(/^cap 25 (-?\d+)$/m.exec(String(result.stdout))?.[1]);
  if (!Number.isInteger(value)) return { routes: null, reason: `kvm-caps printed no value: ${String(result.stdout).trim()}` };
  return { routes: value };
}

let cached: Promise<RouteLimit> | undefined;

/** /dev/kvm's route limit, read once per process: every trial of a run records the same value. */
export function hostRouteLimit(): Promise<RouteLimit> {
  cached ??= readRouteLimit();
  return cached;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
