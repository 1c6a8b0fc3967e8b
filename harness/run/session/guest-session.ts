import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DirectoryResult } from 'tmp-promise';
import type { Trial } from '../../case/matrix.js';
import { archSpec } from '../../arch/index.js';
import { tail } from '../../core/exec.js';
import { hostLimitSymptom } from '../../limits/crash-symptoms.js';
import { collectIrqCounts } from '../../measure/irq/counts.js';
import { FallbackCounter } from '../../measure/irq/fallback-messages.js';
import { irqTraceArgs } from '../../measure/irq/trace-args.js';
import { perfSamples } from '../../measure/profile/perf-samples.js';
import { PerfRecorder } from '../../measure/profile/perf-recorder.js';
import { profileByPhase } from '../../measure/profile/phase-profile.js';
import { kernelArgs, readyCounts } from '../../guest/protocol.js';
import { cpuSeconds, ResourceSampler, sampleProcess } from '../../measure/resources.js';
import { GuestConsole, type TimedMarker } from './guest-console.js';
import { createDisks } from '../qemu/disks.js';
import { writeNetworkSetup } from '../qemu/nic-network-setup.js';
import type { GuestBootOptions, GuestRun } from './guest-run.js';
import { PhaseMarks } from './phase-marks.js';
import { GuestFailureWatch, PhaseWatch, TrialStop } from './phase-watch.js';
import { qemuArgs } from '../qemu/qemu-command.js';
import { QemuInstance } from '../qemu/qemu-instance.js';
import { describeExit, type QemuProcess } from '../qemu/qemu-process.js';
import type { QmpClient } from '../qemu/qmp.js';
import type { TrialContext } from './trial-context.js';
import { makeTrialDir } from './trial-dir.js';
import { unmeasuredCounts, type Counts } from '../../record/counts.js';
import type { Observation } from '../../record/observation.js';
import type { Profile } from '../../record/profile.js';
import type { ResourcePeaks } from '../../record/resources.js';

/**
 * One guest's life, in named steps as QEMU's own python QEMUMachine has them:
 *
 *   prepare       (pre-launch)   trial directory, disk images, QemuInstance's sockets, command line
 *   launch                       spawn QEMU (stopped when profiling, perf attached), start sampling
 *   phases        (post-launch)  qemu-init → guest-boot → disk-probe, each raced against its
 *                                timeout, QEMU's exit and the guest's failure (PhaseWatch);
 *                                a case `until: qemu-init` ends at the first (QEMU told to quit)
 *   hold                         a fleet's guest stays up until released, then is told to quit
 *   shutdown                     QEMU's exit, and whether it is the one expected
 *   cleanup       (post-shutdown) QEMU ended first, then every other step on its own: one that
 *                                throws is logged and the others still run
 *
 * A step that ends the trial early throws a TrialStop (the outcome); anything else is a fault
 * of the harness and is rethrown after cleanup. Either way QEMU is dead and the trial's
 * directory removed when run() returns or throws. Steps are methods so that each reads alone.
 */
export class GuestSession {
  private readonly marks = new PhaseMarks();
  private readonly guestConsole = new GuestConsole();
  private readonly fallbacks = new FallbackCounter();
  private readonly guest: Observation['guest'] = { uptimeAtInitS: null, uptimeAtReadyS: null, disksSeen: null };
  private networkSetup: string | undefined;
  private dir: DirectoryResult | undefined;
  private args: string[] = [];
  private instance: QemuInstance | undefined;
  private qmp: QmpClient | undefined;
  private sampler: ResourceSampler | undefined;
  private recorder: PerfRecorder | undefined;
  private watch: PhaseWatch | undefined;
  private guestFailure: GuestFailureWatch | undefined;
  private stop: TrialStop | undefined;
  private resources: ResourcePeaks = { rssPeakKiB: null, fdsPeak: null, threadsPeak: null };
  private counts: Counts = unmeasuredCounts;
  private profile: Profile | undefined;
  private profileError: string | undefined;
  private heldCpu: number | undefined;
  /** How QEMU's /proc is read for its resources (a test slows it down, as a loaded host does). */
  protected readonly readProcess: typeof sampleProcess = sampleProcess;

  constructor(
    private readonly trial: Trial,
    private readonly ctx: TrialContext,
    private readonly opts: GuestBootOptions = {},
  ) {}

  async run(): Promise<GuestRun> {
    try {
      await this.prepare();
      await this.launch();
      await this.phases();
      if (this.opts.hold) await this.hold();
      await this.shutdown();
    } catch (e) {
      if (!(e instanceof TrialStop)) throw e;
      this.stop = e;
    } finally {
      await this.cleanup();
    }
    return this.result();
  }

  private get dirPath(): string {
    return this.dir!.path;
  }

  /** The launched QEMU: every step after launch has one. */
  private get qemu(): QemuProcess {
    return this.instance!.process!;
  }

  private get traceFile(): string {
    return join(this.dirPath, 'irq.trace');
  }

  private get expectedDisks(): number {
    return this.ctx.expectDisks ?? this.trial.params.disks;
  }

  /** A case `until: qemu-init`: the trial ends once QEMU answers QMP, the guest never started. */
  private get endsAtInit(): boolean {
    return this.trial.params.until === 'qemu-init';
  }

  private get expectedNics(): number {
    return this.ctx.expectNics ?? this.trial.params.nics ?? 0;
  }

  protected async prepare(): Promise<void> {
    this.dir = await makeTrialDir();
    const { params, timeouts } = this.trial;
    const disks = await createDisks(params, this.dirPath);
    this.networkSetup = await writeNetworkSetup(params.nics ?? 0, this.dirPath);
    this.instance = await QemuInstance.listen(this.dirPath);
    this.args = [
      ...qemuArgs({
        params,
        kernel: this.ctx.assets.kernel,
        initrd: this.ctx.assets.initrd,
        disks,
        qmpSocket: this.instance.sockets.qmp,
        consoleSocket: this.instance.sockets.console,
        dataDir: this.ctx.variant.dataDir,
        vhostNet: this.ctx.host.vhostNet === true,
        guestArgs: kernelArgs({
          disks: this.expectedDisks,
          nics: this.expectedNics,
          giveUpS: guestGiveUpS(timeouts.diskProbeS),
          afterReady: this.opts.hold ? 'hold' : 'answer',
        }),
      }),
      ...irqTraceArgs({ arch: params.arch, accel: params.accel, traceFile: this.traceFile }),
      ...(this.ctx.extraQemuArgs ?? []),
    ];
  }

  protected async launch(): Promise<void> {
    const profiling = this.ctx.profile === true;
    const qemu = this.instance!.launch(this.ctx.variant.binary, this.args, {
      cwd: this.dirPath,
      stopped: profiling,
      onStderr: (c) => this.fallbacks.write(c),
      env: this.trial.params.env,
      ...(this.networkSetup !== undefined ? { networkSetup: this.networkSetup } : {}),
    });
    this.opts.onSpawn?.(qemu.pid);
    if (profiling) {
      await qemu.whenStopped();
      // A profiler that fails to start costs the profile, never the trial.
      this.recorder = await PerfRecorder.attach(qemu.pid, join(this.dirPath, 'perf.data')).catch((e: Error) => {
        this.profileError = e.message;
        return undefined;
      });
      qemu.resume();
    }
    this.marks.spawn = qemu.spawnedAt;
    this.sampler = new ResourceSampler([qemu.pid], { exe: this.ctx.variant.binary, read: this.readProcess });
    this.sampler.start();
    const consoleClosed = this.instance!.console().then(
      (s) =>
        new Promise<void>((resolve) => {
          this.guestConsole.attach(s);
          s.once('close', () => resolve());
        }),
    );
    this.guestFailure = new GuestFailureWatch(this.guestConsole);
    this.watch = new PhaseWatch(qemu, this.guestFailure, consoleClosed, this.expectedDisks);
  }

  /**
   * qemu-init ends at the first QMP command answered (QEMU answers only from its main loop, once
   * every device exists; the greeting can come earlier), guest-boot runs from `cont` (sent once
   * the paused QEMU is sampled) to the guest's `init` marker, disk-probe to its `ready` marker
   * (every disk seen).
   */
  protected async phases(): Promise<void> {
    const { timeouts } = this.trial;
    const watch = this.watch!;
    this.qmp = await watch.step('qemu-init', timeouts.qemuInitS, () =>
      this.instance!.handshake((e) => {
        if (e.event === 'GUEST_PANICKED') this.guestFailure?.fail('the guest kernel panicked');
      }),
    );
    this.marks.initDone = performance.now();
    if (this.endsAtInit) return this.endAtInit();
    // Paused (-S) with every device made, QEMU is certain to be there for this sample, however
    // short its life after: a sub-second trial gets no periodic sample, and the sample at ready
    // races the guest's power-off (40 ms after ready for the x86 probe; on a loaded host it lost,
    // and a 40-NIC trial recorded no fds, threads or memory at all).
    await this.sampler!.sample();
    this.marks.resumed = performance.now();

    const init = await watch.step('guest-boot', timeouts.guestBootS, async () => {
      const marker = waitMarker(this.guestConsole, 'init');
      await this.qmp!.execute('cont');
      return marker;
    });
    this.marks.initMarker = init.at;
    this.guest.uptimeAtInitS = init.marker.uptimeS ?? null;

    const ready = await watch.step('disk-probe', timeouts.diskProbeS, () => waitMarker(this.guestConsole, 'ready'));
    this.marks.ready = ready.at;
    // Every disk's notifiers exist now, and the guest waits for an answer before it powers off
    // (its devices' reset closes them) or leaves: the fd peak is here, whatever the sampling
    // interval or the host's load. A held guest waits anyway.
    await this.sampler!.sample();
    if (!this.opts.hold) {
      this.marks.answered = performance.now();
      this.guestConsole.answer();
    }
    this.guest.uptimeAtReadyS = ready.marker.uptimeS ?? null;
    const seen = readyCounts(ready.marker);
    this.guest.disksSeen = seen.disks;
    if (this.trial.params.nics) this.guest.nicsSeen = seen.nics;
  }

  /**
   * A case measuring QEMU's init only: the trial's end is here (totalMs = qemu-init), the guest
   * never runs, and QEMU is told to quit. Every device exists now: the fds peak here.
   */
  private async endAtInit(): Promise<void> {
    this.marks.endedAtInit = true;
    this.marks.ready = this.marks.initDone;
    await this.sampler!.sample();
    this.tellQemuToQuit();
  }

  /** QEMU may exit before it answers `quit`: the exit is what the shutdown phase waits for. */
  private tellQemuToQuit(): void {
    this.qmp!.execute('quit').catch(() => {});
  }

  /** A fleet's guest: up and idle until every guest is ready, then told to quit. */
  protected async hold(): Promise<void> {
    const hold = this.opts.hold!;
    hold.held?.({ qmp: this.qmp!, args: this.args, dir: this.dirPath, sockets: this.instance!.sockets });
    hold.ready();
    const heldFrom = { at: performance.now(), cpuS: await cpuSeconds(this.qemu.pid) };
    await this.watch!.step('hold', hold.timeoutS, () => hold.released);
    this.marks.released = performance.now();
    const heldCpuS = await cpuSeconds(this.qemu.pid);
    // Under a second of holding says little about an idle guest's cost.
    if (heldFrom.cpuS !== null && heldCpuS !== null && this.marks.released - heldFrom.at >= 1000) {
      this.heldCpu = (heldCpuS - heldFrom.cpuS) / ((this.marks.released - heldFrom.at) / 1000);
    }
    this.tellQemuToQuit();
  }

  /**
   * The guest powers off (a held one, or one that ends at QEMU init, is told to quit): QEMU's
   * exit ends the trial.
   */
  protected async shutdown(): Promise<void> {
    const { params, timeouts } = this.trial;
    const exit = await this.watch!.step('shutdown', timeouts.shutdownS, () => this.qemu.exited, { exitIsExpected: true });
    this.marks.exit = exit.at;
    if (!this.endsAtInit) this.checkGuestSawAll();
    const expectedStatus = this.opts.hold || this.endsAtInit ? 0 : archSpec(params.arch).guestExitStatus;
    if (exit.signal || exit.exitCode !== expectedStatus) {
      throw new TrialStop('qemu-crashed', `QEMU exited with ${describeExit(exit)} ${this.endsAtInit ? 'when told to quit after its init' : 'after the guest was ready'}`, 'shutdown', exit);
    }
  }

  private checkGuestSawAll(): void {
    const { params } = this.trial;
    if (this.guest.disksSeen !== params.disks) {
      throw new TrialStop('guest-failed', `the guest saw ${String(this.guest.disksSeen)} disks; the trial gave it ${params.disks}`, 'disk-probe');
    }
    const nics = params.nics ?? 0;
    if (nics > 0 && archSpec(params.arch).guestCountsNics && this.guest.nicsSeen !== nics) {
      throw new TrialStop('guest-failed', `the guest saw ${String(this.guest.nicsSeen)} NICs; the trial gave it ${nics}`, 'disk-probe');
    }
  }

  /**
   * Post-shutdown. QEMU dies first, whatever else fails; then each step alone, so that one
   * throwing (a sampler reading a vanished /proc entry, perf script failing) skips nothing.
   */
  protected async cleanup(): Promise<void> {
    const stoppedAt = performance.now();
    await this.guarded('ending QEMU', () => this.instance?.end());
    await this.guarded('stopping the resource sampler', () => this.stopSampler());
    await this.guarded('counting irq events', () => this.collectCounts());
    await this.guarded('cutting the profile by phase', () => this.cutProfile(stoppedAt));
    await this.guarded('removing the trial directory', () => this.dir?.cleanup());
  }

  protected async stopSampler(): Promise<void> {
    if (this.sampler) this.resources = await this.sampler.stop();
  }

  private async collectCounts(): Promise<void> {
    if (!this.instance?.process) return;
    // QEMU has exited: its trace lines are flushed.
    const { arch, accel } = this.trial.params;
    this.counts = await collectIrqCounts({ arch, accel, traceFile: this.traceFile, stderr: this.fallbacks }).catch(() => unmeasuredCounts);
  }

  private async cutProfile(stoppedAt: number): Promise<void> {
    if (!this.recorder) return;
    this.profile = await phaseProfile(this.recorder, this.marks.windows(stoppedAt)).catch((e: Error) => {
      this.profileError = `perf script failed: ${e.message}`;
      return undefined;
    });
  }

  private async guarded(what: string, step: () => unknown): Promise<void> {
    try {
      await step();
    } catch (e) {
      this.ctx.log?.(`warning: ${what} failed after the trial: ${(e as Error).message}`);
    }
  }

  private result(): GuestRun {
    const stop = this.stop;
    const stderr = this.instance?.process?.stderr ?? '';
    return {
      phases: this.marks.phases(),
      guest: this.guest,
      counts: this.counts,
      resources: this.resources,
      outcome: stop?.outcome ?? 'ok',
      ...(stop
        ? {
            error: {
              message: withHostLimitSymptom(stop, stderr),
              phase: stop.phase,
              ...(stop.exit?.exitCode !== undefined ? { exitCode: stop.exit.exitCode } : {}),
              ...(stop.exit?.signal ? { signal: stop.exit.signal } : {}),
              stderrTail: tail(stderr),
              consoleTail: tail(this.guestConsole.tail()),
              commandLine: this.instance?.commandLine ?? '',
            },
          }
        : {}),
      ...(this.profile ? { profile: this.profile } : {}),
      ...(this.profileError ? { profileError: this.profileError } : {}),
      ...(this.heldCpu !== undefined ? { heldCpu: this.heldCpu } : {}),
    };
  }
}

function withHostLimitSymptom(stop: TrialStop, stderr: string): string {
  const symptom = stop.outcome === 'qemu-crashed' ? hostLimitSymptom(stderr, stop.exit?.signal) : undefined;
  return symptom ? `${stop.message}: ${symptom}` : stop.message;
}

/** perf's CLOCK_MONOTONIC sample times against the phase marks (performance.now() is monotonic too). */
async function phaseProfile(recorder: PerfRecorder, windows: ReturnType<PhaseMarks['windows']>): Promise<Profile> {
  await recorder.stop();
  const offsetNs = Number(process.hrtime.bigint()) - performance.now() * 1e6;
  const inNs = windows.map((w) => ({ phase: w.phase, startNs: w.startMs * 1e6 + offsetNs, endNs: w.endMs * 1e6 + offsetNs }));
  return profileByPhase(perfSamples(recorder.file), inNs);
}

function waitMarker(c: GuestConsole, kind: TimedMarker['marker']['kind']): Promise<TimedMarker> {
  const seen = c.markers.find((m) => m.marker.kind === kind);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => c.onMarker((m) => m.marker.kind === kind && resolve(m)));
}

/** Boots one guest and measures it (GuestSession): the one way a trial or a fleet starts a QEMU. */
export function bootGuest(trial: Trial, ctx: TrialContext, opts: GuestBootOptions = {}): Promise<GuestRun> {
  return new GuestSession(trial, ctx, opts).run();
}

/**
 * When the guest gives up on missing disks: before the harness's own disk-probe timeout, by 10%
 * and at least 3 s, so that the guest's reason (which disks it saw) arrives before the harness
 * stops waiting. The guest's clock starts a little before the harness sees its init marker, but
 * on a loaded host the last pass of its probe loop and the console write take a second or two:
 * a margin of one second (10% of an 8 s timeout) could turn the reason into a bare timeout.
 */
export function guestGiveUpS(diskProbeS: number): number {
  return Math.max(1, Math.min(Math.floor(diskProbeS * 0.9), Math.floor(diskProbeS) - 3));
}
