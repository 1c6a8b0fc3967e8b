import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Trial } from '../case/matrix.js';
import { tail } from '../core/exec.js';
import { cpuSeconds, ResourceSampler, type ResourcePeaks } from '../measure/resources.js';
import { unmeasuredCounts, type Counts, type Observation, type Outcome, type Phases } from '../journal/observation.js';
import { irqTraceArgs } from '../measure/irq/trace-args.js';
import { collectIrqCounts } from '../measure/irq/counts.js';
import { FallbackCounter } from '../measure/irq/fallback-messages.js';
import { profileByPhase, type Profile } from '../measure/profile/phase-profile.js';
import { perfSamples } from '../measure/profile/perf-samples.js';
import { PerfRecorder } from '../measure/profile/perf-recorder.js';
import { archSpec } from '../arch/index.js';
import { PhaseMarks } from './phase-marks.js';
import { GuestConsole, type TimedMarker } from './console.js';
import { createDisks } from './disks.js';
import { qemuArgs } from './qemu-command.js';
import { QemuProcess } from './qemu-process.js';
import { QmpClient } from './qmp.js';
import { SocketEndpoint } from './sockets.js';
import { summarizeCommandLine } from './command-summary.js';
import { describeExit, GuestFailureWatch, PhaseWatch, TrialStop } from './phase-watch.js';
import type { TrialContext } from './trial-context.js';
import { hostLimitSymptom } from '../limits/crash-symptoms.js';
import { makeTrialDir } from './trial-dir.js';

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

/**
 * Boots one guest and measures it. QEMU starts paused; the phases (DESIGN.md) are:
 *   qemuInit   spawn → first QMP command answered (device creation is done: QEMU answers
 *              commands only from its main loop; the greeting can come earlier, e.g. 0.7 s
 *              before it with 1500 legacy -drive disks)
 *   guestBoot  → guest `init` marker (after `cont`)
 *   diskProbe  → guest `ready` marker (all disks seen)
 *   shutdown   → QEMU exited (a held guest: from its release)
 * Any outcome is recorded; nothing here throws for a failing guest or QEMU, and QEMU is dead
 * and its files removed when this returns.
 */
export async function bootGuest(trial: Trial, ctx: TrialContext, opts: GuestBootOptions = {}): Promise<GuestRun> {
  const dir = await makeTrialDir();
  const guestConsole = new GuestConsole();
  const marks = new PhaseMarks();
  const guest: Observation['guest'] = { uptimeAtInitS: null, uptimeAtReadyS: null, disksSeen: null };
  const hold = opts.hold;
  let qemu: QemuProcess | undefined;
  let sampler: ResourceSampler | undefined;
  let stop: TrialStop | undefined;
  let args: string[] = [];
  let endpoints: SocketEndpoint[] = [];
  let qmp: QmpClient | undefined;
  let resources: ResourcePeaks = { rssPeakKiB: null, fdsPeak: null, threadsPeak: null };
  let recorder: PerfRecorder | undefined;
  let profile: Profile | undefined;
  let profileError: string | undefined;
  let heldCpu: number | undefined;
  const traceFile = join(dir.path, 'irq.trace');
  const fallbacks = new FallbackCounter();
  let counts: Counts = unmeasuredCounts;
  try {
    const { params, timeouts } = trial;
    const expected = ctx.expectDisks ?? params.disks;
    const disks = await createDisks(params, dir.path);
    const qmpEndpoint = await SocketEndpoint.listen(join(dir.path, 'qmp.sock'));
    const consoleEndpoint = await SocketEndpoint.listen(join(dir.path, 'console.sock'));
    endpoints = [qmpEndpoint, consoleEndpoint];
    args = [
      ...qemuArgs({
        params,
        kernel: ctx.assets.kernel,
        initrd: ctx.assets.initrd,
        disks,
        qmpSocket: join(dir.path, 'qmp.sock'),
        consoleSocket: join(dir.path, 'console.sock'),
        dataDir: ctx.variant.dataDir,
        guestArgs: [
          `emuflock.disks=${expected}`,
          `emuflock.probe_timeout=${Math.max(1, Math.floor(timeouts.diskProbeS * 0.9))}`,
          ...(hold ? ['emuflock.hold=1'] : []),
        ],
      }),
      ...irqTraceArgs({ arch: params.arch, accel: params.accel, traceFile }),
      ...(ctx.extraQemuArgs ?? []),
    ];

    qemu = new QemuProcess(ctx.variant.binary, args, { cwd: dir.path, stopped: ctx.profile === true, onStderr: (c) => fallbacks.write(c) });
    opts.onSpawn?.(qemu.pid);
    if (ctx.profile) {
      await qemu.whenStopped();
      // A profiler that fails to start costs the profile, never the trial.
      recorder = await PerfRecorder.attach(qemu.pid, join(dir.path, 'perf.data')).catch((e: Error) => {
        profileError = e.message;
        return undefined;
      });
      qemu.resume();
    }
    marks.spawn = qemu.spawnedAt;
    sampler = new ResourceSampler([qemu.pid]);
    sampler.start();
    const consoleClosed = consoleEndpoint.connection().then(
      (s) =>
        new Promise<void>((resolve) => {
          guestConsole.attach(s);
          s.once('close', () => resolve());
        }),
    );
    const guestFailure = new GuestFailureWatch(guestConsole);
    const watch = new PhaseWatch(qemu, guestFailure, consoleClosed, expected);

    // QEMU init: connect, greeting, then a command QEMU can only answer from its main loop.
    qmp = await watch.step('qemu-init', timeouts.qemuInitS, async () => {
      const client = new QmpClient(await qmpEndpoint.connection());
      client.onEvent((e) => {
        if (e.event === 'GUEST_PANICKED') guestFailure.fail('the guest kernel panicked');
      });
      await client.waitGreeting();
      await client.execute('qmp_capabilities');
      return client;
    });
    marks.initDone = performance.now();

    const initMarker = await watch.step('guest-boot', timeouts.guestBootS, async () => {
      const marker = waitMarker(guestConsole, 'init');
      await qmp!.execute('cont');
      return marker;
    });
    marks.initMarker = initMarker.at;
    guest.uptimeAtInitS = initMarker.marker.uptimeS ?? null;

    const ready = await watch.step('disk-probe', timeouts.diskProbeS, () => waitMarker(guestConsole, 'ready'));
    marks.ready = ready.at;
    // Every disk's notifiers exist now and the guest powers off next: the fd peak is here,
    // whatever the sampling interval.
    await sampler.sample();
    guest.uptimeAtReadyS = ready.marker.uptimeS ?? null;
    guest.disksSeen = Number(ready.marker.fields.disks ?? NaN);
    if (!Number.isFinite(guest.disksSeen)) guest.disksSeen = null;

    let expectedStatus = archSpec(params.arch).guestExitStatus;
    if (hold) {
      hold.ready();
      const heldFrom = { at: performance.now(), cpuS: await cpuSeconds(qemu.pid) };
      await watch.step('hold', hold.timeoutS, () => hold.released);
      marks.released = performance.now();
      const heldCpuS = await cpuSeconds(qemu.pid);
      // Under a second of holding says little about an idle guest's cost.
      if (heldFrom.cpuS !== null && heldCpuS !== null && marks.released - heldFrom.at >= 1000) {
        heldCpu = (heldCpuS - heldFrom.cpuS) / ((marks.released - heldFrom.at) / 1000);
      }
      // QEMU may exit before it answers `quit`: the exit is what the shutdown phase waits for.
      qmp.execute('quit').catch(() => {});
      expectedStatus = 0;
    }
    const exit = await watch.step('shutdown', timeouts.shutdownS, () => qemu!.exited, { exitIsExpected: true });
    marks.exit = exit.at;
    if (guest.disksSeen !== params.disks) {
      stop = new TrialStop('guest-failed', `the guest saw ${String(guest.disksSeen)} disks; the trial gave it ${params.disks}`, 'disk-probe');
    } else if (exit.signal || exit.exitCode !== expectedStatus) {
      stop = new TrialStop('qemu-crashed', `QEMU exited with ${describeExit(exit)} after the guest was ready`, 'shutdown', exit);
    }
  } catch (e) {
    if (!(e instanceof TrialStop)) throw e;
    stop = e;
  } finally {
    qmp?.close();
    if (sampler) resources = await sampler.stop();
    const stoppedAt = performance.now();
    if (qemu) await qemu.kill();
    // QEMU has exited, its trace lines are flushed; the log goes with the directory below.
    if (qemu) {
      counts = await collectIrqCounts({ arch: trial.params.arch, accel: trial.params.accel, traceFile, stderr: fallbacks }).catch(() => unmeasuredCounts);
    }
    for (const ep of endpoints) ep.close();
    if (recorder) {
      profile = await phaseProfile(recorder, marks.windows(stoppedAt)).catch((e: Error) => {
        profileError = `perf script failed: ${e.message}`;
        return undefined;
      });
    }
    await dir.cleanup().catch(() => {});
  }

  return {
    phases: marks.phases(),
    guest,
    counts,
    resources,
    outcome: stop?.outcome ?? 'ok',
    ...(stop
      ? {
          error: {
            message: withHostLimitSymptom(stop, qemu?.stderr ?? ''),
            phase: stop.phase,
            ...(stop.exit?.exitCode !== undefined ? { exitCode: stop.exit.exitCode } : {}),
            ...(stop.exit?.signal ? { signal: stop.exit.signal } : {}),
            stderrTail: tail(qemu?.stderr ?? ''),
            consoleTail: tail(guestConsole.tail()),
            commandLine: summarizeCommandLine(ctx.variant.binary, args),
          },
        }
      : {}),
    ...(profile ? { profile } : {}),
    ...(profileError ? { profileError } : {}),
    ...(heldCpu !== undefined ? { heldCpu } : {}),
  };
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
