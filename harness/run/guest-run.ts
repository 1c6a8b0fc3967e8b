import type { Counts, Observation, Outcome, Phases } from '../journal/observation.js';
import type { Profile } from '../measure/profile/phase-profile.js';
import type { ResourcePeaks } from '../measure/resources.js';

/**
 * A guest that stays up after its ready marker until released, so that many guests are alive
 * together (a fleet's peak). Released, it is told to quit over QMP; its shutdown phase then
 * runs from the release to QEMU's exit.
 */
export interface GuestHold {
  /** Called when the guest is ready (only then): its start slot can go to the next guest. */
  ready(): void;
  released: Promise<void>;
  /** The longest a ready guest waits for the others. */
  timeoutS: number;
}

export interface GuestBootOptions {
  /** Set for one guest of a fleet: it holds after ready instead of powering off. */
  hold?: GuestHold;
  /** Told each QEMU's pid as it starts (the fleet samples all of them together). */
  onSpawn?: (pid: number) => void;
}

/** What one guest's boot produced; the trial turns it into an Observation (or a fleet's part of one). */
export interface GuestRun {
  phases: Phases;
  guest: Observation['guest'];
  counts: Counts;
  resources: ResourcePeaks;
  outcome: Outcome;
  error?: NonNullable<Observation['error']>;
  profile?: Profile;
  profileError?: string;
  /** A held guest: the CPUs its QEMU used while idle and held (1 = one whole CPU). */
  heldCpu?: number;
}
