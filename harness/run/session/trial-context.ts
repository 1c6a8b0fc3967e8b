import type { Trial } from '../../case/matrix.js';
import type { ResolvedVariant } from '../../variants/variant.js';
import type { GuestAssets } from '../../guest/assets.js';
import { unmeasuredCounts } from '../../record/counts.js';
import type { HostRecord } from '../../record/host.js';
import { observationSchemaVersion, type Observation } from '../../record/observation.js';
import { noPhases } from '../../record/phases.js';

/** What every trial of a run shares: the guest it boots, the QEMU it runs, the host it runs on. */
export interface TrialContext {
  runId: string;
  assets: GuestAssets;
  variant: ResolvedVariant;
  host: HostRecord;
  /** The disk count the guest waits for; only tests set it apart from the trial's disks. */
  expectDisks?: number;
  /** The NIC count the guest waits for; only tests set it apart from the trial's NICs. */
  expectNics?: number;
  /** Appended to QEMU's arguments; only tests use it (e.g. a bad option). */
  extraQemuArgs?: string[];
  /** Record a perf profile of QEMU and cut it by phase (the caller checked perf works). */
  profile?: boolean;
  /** Progress within a trial (a fleet says each guest's arrival); the run's log. */
  log?: (line: string) => void;
}

/**
 * An Observation of a trial that measured nothing (yet): who, what, where, with no phase reached.
 * runTrial fills in what it measured; a trial refused before booting keeps it as it is.
 */
export function observationOf(trial: Trial, ctx: TrialContext, startedAt: string): Observation {
  return {
    schema: observationSchemaVersion,
    runId: ctx.runId,
    trialId: trial.trialId,
    case: trial.case,
    point: trial.point,
    rep: trial.rep,
    warmup: trial.warmup,
    order: trial.order,
    startedAt,
    variant: ctx.variant.record,
    params: trial.params,
    guestAssets: {
      kernelPackage: ctx.assets.kernelPackage,
      kernelVersion: ctx.assets.kernelVersion,
      busyboxVersion: ctx.assets.busyboxVersion,
    },
    host: ctx.host,
    phases: noPhases(),
    guest: { uptimeAtInitS: null, uptimeAtReadyS: null, disksSeen: null },
    counts: unmeasuredCounts,
    resources: { rssPeakKiB: null, fdsPeak: null, threadsPeak: null },
    outcome: 'ok',
  };
}

