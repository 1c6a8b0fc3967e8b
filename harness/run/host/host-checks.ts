/**
 * What a case asks that this host or QEMU cannot give, found before the run directory exists
 * and before anything boots: a machine type the variant's QEMU does not have, guest memory
 * beyond what the host could ever allocate. Either would otherwise boot and fail trial after
 * trial, recorded as if QEMU had crashed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { variantName, type LoadedCase } from '../../case/schema.js';
import type { Plan } from '../../case/matrix.js';
import type { ResolvedVariant } from '../../variants/variant.js';
import type { ArchName } from '../../arch/index.js';
import { inputError } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { cacheRoot } from '../../core/paths.js';
import { printable } from '../../core/printable.js';
import { checkNicsPossible } from './nic-host-check.js';

/** The run's variants, looked up by the trial's arch and the variant's name (schedule/run-variants.ts). */
interface VariantsOfRun {
  get(arch: ArchName, name: string): ResolvedVariant | undefined;
}

export async function checkCasesFitHost(cases: LoadedCase[], variants: VariantsOfRun): Promise<void> {
  for (const c of cases) {
    if (c.spec.machine === undefined) continue;
    for (const name of c.spec.variants.map(variantName)) {
      const v = variants.get(c.spec.arch, name);
      if (!v) continue;
      const machines = await machineTypes(v);
      if (!machines.includes(c.spec.machine)) {
        throw inputError(
          `${c.file}: machine: "${printable(c.spec.machine, 64)}" is not a machine type of ${v.binary} (variant ${name}); it has ${machines.slice(0, 8).join(', ')}${machines.length > 8 ? ', …' : ''} (${v.binary} -machine help)`,
        );
      }
    }
  }
}

/**
 * What the plan asks of the host alone (NICs, guest memory), asked before any source is
 * fetched, asset downloaded or variant built: none of those can make it fit, and each costs
 * minutes (or fails on its own, e.g. apt without a network) before the real answer.
 */
export async function checkPlanFitsHost(cases: LoadedCase[], plan: Plan): Promise<void> {
  await checkNicsPossible(plan);
  const memoryKiB = await allocatableKiB();
  if (memoryKiB === null) return;
  for (const trial of plan.trials) {
    const mib = trial.params.memoryMiB;
    if (mib * 1024 > memoryKiB) {
      const c = cases.find((x) => x.name === trial.case);
      throw inputError(
        `${c?.file ?? trial.case}: memoryMiB: ${mib} MiB of guest memory is more than this host has (${Math.floor(memoryKiB / 1024)} MiB of RAM and swap); QEMU could not allocate it`,
      );
    }
  }
}

/** `-machine help` of a binary, asked once per binary and kept in the cache by its sha256. */
async function machineTypes(v: ResolvedVariant): Promise<string[]> {
  const file = join(cacheRoot(), 'machine-types', `${v.record.binarySha256}.json`);
  const cached = await readFile(file, 'utf8').then(
    (t) => JSON.parse(t) as string[],
    () => undefined,
  );
  if (Array.isArray(cached) && cached.length > 0) return cached;
  const text = await run(v.binary, ['-machine', 'help'], { kind: 'environment', what: `asking ${v.binary} for its machine types` });
  const names = text
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/)[0]!)
    .filter((n) => n.length > 0);
  await mkdir(join(cacheRoot(), 'machine-types'), { recursive: true });
  await writeFile(file, JSON.stringify(names));
  return names;
}

/** RAM plus swap: a guest larger than that cannot be allocated whatever else runs. */
async function allocatableKiB(): Promise<number | null> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const total = Number(meminfo.match(/^MemTotal:\s+(\d+)/m)?.[1]);
  const swap = Number(meminfo.match(/^SwapTotal:\s+(\d+)/m)?.[1] ?? 0);
  return Number.isFinite(total) && total > 0 ? total + (Number.isFinite(swap) ? swap : 0) : null;
}
