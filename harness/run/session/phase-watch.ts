import { setTimeout as sleep } from 'node:timers/promises';
import { failureReason } from '../../guest/protocol.js';
import type { GuestConsole } from './guest-console.js';
import { describeExit, type QemuExit, type QemuProcess } from '../qemu/qemu-process.js';
import type { Outcome } from '../../record/outcome.js';
import type { TrialStep } from '../../record/phases.js';

/** Why a phase did not end normally: the trial's outcome and what to tell the user. */
export class TrialStop {
  constructor(
    readonly outcome: Outcome,
    readonly message: string,
    readonly phase: TrialStep,
    readonly exit?: QemuExit,
  ) {}
}

/** A guest that gives up (its `failed` marker) or panics ends the trial as guest-failed. */
export class GuestFailureWatch {
  readonly failed: Promise<string>;
  private resolveFailed!: (reason: string) => void;

  constructor(c: GuestConsole) {
    this.failed = new Promise((resolve) => (this.resolveFailed = resolve));
    c.onMarker((m) => {
      if (m.marker.kind === 'failed') this.fail(`the guest gave up: ${failureReason(m.marker)}`);
    });
  }

  fail(reason: string): void {
    this.resolveFailed(reason);
  }
}

/** Races each phase against its timeout, QEMU's exit and a guest failure. */
export class PhaseWatch {
  constructor(
    private readonly qemu: QemuProcess,
    private readonly guestFailure: GuestFailureWatch,
    private readonly consoleClosed: Promise<void>,
    private readonly expectedDisks: number,
  ) {}

  async step<T>(phase: TrialStep, timeoutS: number, work: () => Promise<T>, opts: { exitIsExpected?: boolean } = {}): Promise<T> {
    const timer = new AbortController();
    type Result = { kind: 'done'; value: T } | { kind: 'exit'; exit: QemuExit } | { kind: 'failed'; reason: string } | { kind: 'timeout' };
    const contenders: Promise<Result>[] = [
      work().then((value) => ({ kind: 'done', value }) as Result),
      this.guestFailure.failed.then((reason) => ({ kind: 'failed', reason }) as Result),
      sleep(timeoutS * 1000, undefined, { signal: timer.signal }).then(
        () => ({ kind: 'timeout' }) as Result,
        () => new Promise<Result>(() => {}),
      ),
    ];
    if (!opts.exitIsExpected) contenders.push(this.qemu.exited.then((exit) => ({ kind: 'exit', exit }) as Result));
    // A failing `work` (QMP closed because QEMU died) is not the story: the exit race tells it.
    contenders[0] = contenders[0]!.catch(() => this.qemu.exited.then((exit) => ({ kind: 'exit', exit }) as Result));
    const r = await Promise.race(contenders);
    timer.abort();
    switch (r.kind) {
      case 'done':
        return r.value;
      case 'failed':
        throw new TrialStop('guest-failed', r.reason, phase);
      case 'timeout':
        throw new TrialStop('timeout', `${phase} did not finish within ${timeoutS} s${this.expectedHint(phase)}`, phase);
      case 'exit':
        throw await this.explainExit(phase, r.exit);
    }
  }

  private expectedHint(phase: TrialStep): string {
    return phase === 'disk-probe' ? ` (waiting for ${this.expectedDisks} disks)` : '';
  }

  /** QEMU exited before the guest was ready: a guest that said why failed; otherwise QEMU did. */
  private async explainExit(phase: TrialStep, exit: QemuExit): Promise<TrialStop> {
    // The console may still hold the guest's last words: let it drain first.
    await Promise.race([this.consoleClosed, sleep(500)]);
    const reason = await Promise.race([this.guestFailure.failed, sleep(0).then(() => undefined)]);
    if (reason) return new TrialStop('guest-failed', reason, phase, exit);
    if (exit.exitCode === 0 && !exit.signal) {
      return new TrialStop('guest-failed', `the guest powered off or reset during ${phase}, before its ready marker`, phase, exit);
    }
    return new TrialStop('qemu-crashed', `QEMU exited with ${describeExit(exit)} during ${phase}`, phase, exit);
  }
}
