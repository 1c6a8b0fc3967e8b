import { loadCase } from '../case/load.js';
import { casePoints } from '../case/matrix.js';
import { envLabel } from '../case/env.js';
import { caseVariants } from '../case/case-variants.js';
import { resolveVariants } from '../variants/resolve.js';
import { ensureGuestAssets } from '../guest/assets.js';
import { describeHost } from '../measure/host.js';
import { archSpec } from '../arch/index.js';
import { onInterrupt } from '../core/process-group.js';
import { raiseOpenFileLimit } from '../limits/open-file-limit.js';
import { costText, projectionText } from '../limits/capacity/capacity-text.js';
import { fitCostModel } from '../limits/capacity/cost-model.js';
import { describedHost, thisHost } from '../limits/capacity/host-profile.js';
import { projectCapacity } from '../limits/capacity/projection.js';
import { defaultSweepHoldS, runCapacitySweep } from '../run/schedule/capacity-sweep.js';

/**
 * `emuflock doctor --capacity CASE`: boots three small fleets shaped like the case's guest
 * (its first point and first variant), fits per-guest and per-disk costs, and projects how many
 * such guests this host, and a described one, hold, naming the limit that binds first.
 */
export async function capacityCommand(
  file: string,
  options: { hostSpec?: string | undefined; holdS?: number | undefined },
  log: (line: string) => void,
): Promise<string> {
  const { hostSpec, holdS = defaultSweepHoldS } = options;
  const c = await loadCase(file);
  const described = hostSpec === undefined ? undefined : describedHost(hostSpec);
  const [first] = casePoints(c);
  const base = first!.params;
  const arch = c.spec.arch;
  await raiseOpenFileLimit();
  const host = await describeHost();
  const assets = await ensureGuestAssets(arch, log);
  const defs = (await caseVariants([c])).slice(0, 1);
  const [variant] = (await resolveVariants(defs, arch, { log })).values();
  const stopListening = onInterrupt(() => log('interrupted: QEMU killed, no projection'));
  let sweep;
  try {
    sweep = await runCapacitySweep(base, { runId: 'capacity', assets, variant: variant!, host, log }, log, holdS);
  } finally {
    stopListening();
  }
  const model = fitCostModel(sweep.samples);
  const spec = archSpec(arch);
  const deviceLimit = { limit: `${spec.diskDevice} devices per guest`, disks: spec.maxDisks };
  const projections = [thisHost(host), ...(described ? [described] : [])].map((h) => projectCapacity(model, h, base.disks, deviceLimit));
  return [
    `capacity for guests like ${c.file} (${first!.point}, ${base.memoryMiB} MiB RAM, variant ${variant!.record.name}, QEMU ${variant!.record.qemuVersion}; fleets held ${holdS} s)`,
    // Committed memory and address space depend on QEMU's environment (MALLOC_ARENA_MAX...).
    `QEMU's environment: the harness's${base.env && Object.keys(base.env).length > 0 ? ` plus ${envLabel(base.env)}` : ' only'}; vm.overcommit_memory ${host.limits.overcommitMemory ?? 'unknown'}${host.limits.overcommitMemory === 2 ? ' (strict)' : ''}`,
    '',
    costText(sweep.samples, model, base.disks),
    '',
    projectionText(projections),
  ].join('\n');
}
