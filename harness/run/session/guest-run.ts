import type { QmpClient } from '../qemu/qmp.js';
import type { Counts } from '../../record/counts.js';
import type { Observation } from '../../record/observation.js';
import type { Outcome } from '../../record/outcome.js';
import type { Phases } from '../../record/phases.js';
import type { Profile } from '../../record/profile.js';
import type { ResourcePeaks } from '../../record/resources.js';

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
  /** Told, before ready(), what a held guest offers for work on it while held (a migration). */
  held?: (guest: HeldGuest) => void;
}

/** A ready guest while it holds: its QMP, its command line and the sockets in it. */
export interface HeldGuest {
  qmp: QmpClient;
  args: string[];
  /** Its trial directory: a second QEMU of the same guest puts its sockets here. */
  dir: string;
  sockets: { qmp: string; console: string };
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
