/**
 * A trial's phases in the order a boot goes through them, each with every name it has. The
 * names differ because each is already in files written by earlier runs and by users:
 * - key: the phase itself (the harness's phase marks, a profile's per-phase entries)
 * - step: how messages and an Observation's error.phase name it ("disk-probe did not finish")
 * - ms: its duration in an Observation's phases
 * - timeout: its limit, seconds, in a case's `timeouts:` and a planned trial's
 * - label: how tables and charts title it
 * - ofGuest: the guest runs it, so a trial that ends at QEMU init (`until: qemu-init`) has none
 * - startup: it is part of the start-up, totalMs (spawn → ready); shutdown comes after
 * Free of zod, so that the command line can offer the phases without loading it.
 */
export const phaseTable = [
  phase({ key: 'qemuInit', step: 'qemu-init', ms: 'qemuInitMs', timeout: 'qemuInitS', label: 'QEMU init', ofGuest: false, startup: true }),
  phase({ key: 'guestBoot', step: 'guest-boot', ms: 'guestBootMs', timeout: 'guestBootS', label: 'guest boot', ofGuest: true, startup: true }),
  phase({ key: 'diskProbe', step: 'disk-probe', ms: 'diskProbeMs', timeout: 'diskProbeS', label: 'disk probe', ofGuest: true, startup: true }),
  phase({ key: 'shutdown', step: 'shutdown', ms: 'shutdownMs', timeout: 'shutdownS', label: 'shutdown', ofGuest: false, startup: false }),
] as const;

/** A row whose unit names are its key's: the compiler refuses `diskProbe` with `diskProbS`. */
function phase<const K extends string, const S extends string>(row: { key: K; step: S; ms: `${NoInfer<K>}Ms`; timeout: `${NoInfer<K>}S`; label: string; ofGuest: boolean; startup: boolean }) {
  return row;
}

export type PhaseRow = (typeof phaseTable)[number];
export type PhaseKey = PhaseRow['key'];
export type PhaseTimeoutName = PhaseRow['timeout'];
export const phaseKeys = phaseTable.map((p) => p.key) as [PhaseKey, ...PhaseKey[]];

/** Where a trial stood when it stopped: a phase, a fleet's guest held up for the others, or the preflight that refused it. */
export type TrialStep = PhaseRow['step'] | 'hold' | 'preflight';
const steps: TrialStep[] = [...phaseTable.map((p) => p.step), 'hold', 'preflight'];
export const trialSteps = steps as [TrialStep, ...TrialStep[]];

/**
 * What a trial is timed by: each phase, and totalMs, the start-up: spawn → ready (or → QEMU
 * init for `until: qemu-init`) less the harness's own pause to sample the paused QEMU.
 */
export type PhaseName = PhaseRow['ms'] | 'totalMs';
export const phaseNames: PhaseName[] = [...phaseTable.map((p) => p.ms), 'totalMs'];

/** "disk probe", "total". */
export function phaseLabel(name: PhaseName): string {
  return phaseTable.find((p) => p.ms === name)?.label ?? 'total';
}

/** Milliseconds; null where the trial did not reach the phase's end (phase-times.ts checks it). */
export type Phases = Record<PhaseName, number | null>;

/** Phases with nothing reached yet. */
export function noPhases(): Phases {
  return Object.fromEntries(phaseNames.map((n) => [n, null])) as Phases;
}

type UntilOf = { params: { until?: 'qemu-init' | undefined } };

/** Some trials, every one of which ended at QEMU init (a case `until: qemu-init`). */
export function allEndedAtInit(observations: readonly UntilOf[]): boolean {
  return observations.length > 0 && observations.every((o) => o.params.until === 'qemu-init');
}

/** The phases some of these trials can have: all of them, unless every one ended at QEMU init. */
export function phasesReached(observations: readonly UntilOf[], phases: readonly PhaseName[]): PhaseName[] {
  const guestPhases: readonly PhaseName[] = phaseTable.filter((p) => p.ofGuest).map((p) => p.ms);
  const initOnly = allEndedAtInit(observations);
  return phases.filter((p) => !initOnly || !guestPhases.includes(p));
}
