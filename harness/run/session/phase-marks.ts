import type { PhaseKey, Phases } from '../../record/phases.js';

/**
 * The instants (performance.now(), ms) that bound a trial's phases. Phases are derived from
 * them, never stored twice; a phase whose end was not reached is null.
 */
export class PhaseMarks {
  spawn: number | undefined;
  /** First QMP command answered: QEMU's main loop runs, every device exists. */
  initDone: number | undefined;
  /**
   * `cont` sent: guest-boot starts here. Between initDone and this instant QEMU stays paused
   * (-S) while the harness samples it; that pause is the harness's own and counts in no phase.
   */
  resumed: number | undefined;
  initMarker: number | undefined;
  ready: number | undefined;
  /** The guest was answered after its ready marker and sampled: its power-off starts here. */
  answered: number | undefined;
  /** A held guest (one of a fleet) was told to quit: its shutdown starts here, not at ready. */
  released: number | undefined;
  exit: number | undefined;
  /** The case ends at QEMU init (`until: qemu-init`): the guest's phases never begin. */
  endedAtInit = false;

  private bounds(): [PhaseKey, number | undefined, number | undefined][] {
    const guest: [PhaseKey, number | undefined, number | undefined][] = [
      ['guestBoot', this.resumed ?? this.initDone, this.initMarker],
      ['diskProbe', this.initMarker, this.ready],
    ];
    return [['qemuInit', this.spawn, this.initDone], ...(this.endedAtInit ? [] : guest), ['shutdown', this.released ?? this.answered ?? this.ready, this.exit]];
  }

  phases(): Phases {
    // An end seen before its start (a guest that powered off on its own before it was answered,
    // two markers dated from one console read) is a phase too short to measure, not a negative
    // one: the journal's readers refuse negative times.
    const span = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? Math.max(0, b - a) : null);
    const total = span(this.spawn, this.ready);
    const bounds = this.bounds();
    const of = (key: PhaseKey) => {
      const bound = bounds.find(([k]) => k === key);
      return bound ? span(bound[1], bound[2]) : null;
    };
    return {
      qemuInitMs: of('qemuInit'),
      guestBootMs: of('guestBoot'),
      diskProbeMs: of('diskProbe'),
      shutdownMs: of('shutdown'),
      totalMs: total === null ? null : total - this.pausedMs(),
    };
  }

  private pausedMs(): number {
    return this.initDone !== undefined && this.resumed !== undefined ? this.resumed - this.initDone : 0;
  }

  /** Each phase that began, as [start, end); one cut short ends at `stoppedAt` (e.g. a timeout). */
  windows(stoppedAt: number): { phase: PhaseKey; startMs: number; endMs: number }[] {
    return this.bounds()
      .filter(([, start]) => start !== undefined)
      .map(([phase, start, end]) => ({ phase, startMs: start!, endMs: end ?? stoppedAt }));
  }
}
