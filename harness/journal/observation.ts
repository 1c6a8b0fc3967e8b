import type { TrialParams } from '../case/matrix.js';
import type { Counts } from '../measure/irq/counts.js';
import type { VariantRecord } from '../variants/variant.js';
import type { HostRecord } from '../measure/host.js';
import type { ResourcePeaks } from '../measure/resources.js';
import type { Profile } from '../measure/profile/phase-profile.js';
import type { MigrationRecord } from './migration-record.js';

/** Bumped when a field changes meaning; readers refuse journals of a newer schema. */
export const observationSchema = 1;

export type Outcome = 'ok' | 'timeout' | 'qemu-crashed' | 'guest-failed' | 'refused-by-preflight';

export type PhaseName = 'qemuInitMs' | 'guestBootMs' | 'diskProbeMs' | 'shutdownMs' | 'totalMs';
export const phaseNames: PhaseName[] = ['qemuInitMs', 'guestBootMs', 'diskProbeMs', 'shutdownMs', 'totalMs'];

/** The guest's phases: a trial of a case `until: qemu-init` never has them (its guest never runs). */
const guestPhases: readonly PhaseName[] = ['guestBootMs', 'diskProbeMs'];

type UntilOf = { params: Pick<TrialParams, 'until'> };

/** Some trials, every one of which ended at QEMU init (a case `until: qemu-init`). */
export function allEndedAtInit(observations: readonly UntilOf[]): boolean {
  return observations.length > 0 && observations.every((o) => o.params.until === 'qemu-init');
}

/** The phases some of these trials can have: all of them, unless every one ended at QEMU init. */
export function phasesReached(observations: readonly UntilOf[], phases: readonly PhaseName[]): PhaseName[] {
  const initOnly = allEndedAtInit(observations);
  return phases.filter((p) => !initOnly || !guestPhases.includes(p));
}

/** Milliseconds; null where the trial did not reach the phase's end. */
export type Phases = Record<PhaseName, number | null>;

/** One guest of a fleet (a trial of `guests: M`): what its own boot measured. */
export interface GuestRecord {
  index: number;
  /** When its QEMU was spawned, ms after the fleet's first spawn (null: never spawned). */
  spawnMs: number | null;
  outcome: Outcome;
  phases: Phases;
  guest: Observation['guest'];
  counts: Counts;
  resources: ResourcePeaks;
  /**
   * CPUs its QEMU used while it was ready and held (1 = one CPU), waiting for the rest of the
   * fleet: an idle guest's cost, which bounds guests per host as surely as memory does.
   */
  heldCpu?: number;
  error?: NonNullable<Observation['error']>;
}

/** How a fleet ran as a whole. */
export interface FleetRecord {
  guests: number;
  /** Guests allowed to be starting (spawned, not yet ready) at once. */
  startConcurrency: number;
  /** First spawn → last ready marker: the time to bring the whole fleet up; null if one failed. */
  allReadyMs: number | null;
  /** The most QEMUs alive at once (= guests when the whole fleet was up together). */
  peakAlive: number;
}

export interface Observation {
  schema: number;
  runId: string;
  trialId: string;
  case: string;
  point: string;
  rep: number;
  warmup: boolean;
  order: number;
  /** Wall-clock start, ISO 8601. */
  startedAt: string;
  variant: VariantRecord;
  params: TrialParams;
  guestAssets: { kernelPackage: string; kernelVersion: string; busyboxVersion: string };
  host: HostRecord;
  phases: Phases;
  guest: {
    uptimeAtInitS: number | null;
    uptimeAtReadyS: number | null;
    disksSeen: number | null;
    /** NICs the guest counted besides lo; present in trials that gave it NICs (null: it did not say). */
    nicsSeen?: number | null;
  };
  counts: Counts;
  resources: ResourcePeaks;
  outcome: Outcome;
  /**
   * A fleet trial: every guest's own record. The top-level phases are then the slowest ready
   * guest's, counts the sum over guests, resources the host's peak of all QEMUs together, and
   * outcome and error the first failed guest's.
   */
  guests?: GuestRecord[];
  fleet?: FleetRecord;
  /** A case with `migrate:`: every guest's live migration, all started at once. */
  migration?: MigrationRecord;
  /** Per phase (qemuInit, guestBoot, diskProbe, shutdown): the hottest symbols, when profiled. */
  profile?: Profile;
  /** Why a profile was asked for and not recorded. */
  profileError?: string;
  error?: {
    message: string;
    phase?: string;
    exitCode?: number;
    signal?: string;
    stderrTail?: string;
    consoleTail?: string;
    commandLine?: string;
  };
}

export { unmeasuredCounts, type Counts } from '../measure/irq/counts.js';
export type { VariantRecord } from '../variants/variant.js';
export type { GuestMigration, MigrationOutcome, MigrationRecord } from './migration-record.js';
