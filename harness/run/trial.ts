import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { dir as tmpDir } from 'tmp-promise';
import type { Trial } from '../case/matrix.js';
import type { ResolvedVariant } from '../build/variant.js';
import { tail } from '../exec.js';
import type { GuestAssets } from '../guest/assets.js';
import { archSpec, type ArchName } from './arch/index.js';
import type { HostRecord } from '../measure/host.js';
import { ResourceSampler } from '../measure/resources.js';
import { observationSchema, unmeasuredCounts, type Observation, type Outcome } from '../journal/observation.js';
import { profileByPhase, type Profile } from '../measure/profile/phase-profile.js';
import { perfSamples } from '../measure/profile/perf-samples.js';
import { PerfRecorder } from '../measure/profile/perf-recorder.js';
import { PhaseMarks } from './phase-marks.js';
import { GuestConsole, type TimedMarker } from './console.js';
import { createDisks } from './disks.js';
import { qemuArgs } from './qemu-command.js';
import { QemuProcess, type QemuExit } from './qemu-process.js';
import { QmpClient } from './qmp.js';
import { SocketEndpoint } from './sockets.js';
import { summarizeCommandLine } from './command-summary.js';

export interface TrialContext {
  runId: string;
  assets: GuestAssets;
  variant: ResolvedVariant;
  host: HostRecord;
  /** The disk count the guest waits for; only tests set it apart from the trial's disks. */
  expectDisks?: number;
  /** Appended to QEMU's arguments; only tests use it (e.g. a bad option). */
  extraQemuArgs?: string[];
  /** Record a perf profile of QEMU and cut it by phase (the caller checked perf works). */
  profile?: boolean;
}

/** Why a phase did not end normally: the trial's outcome and what to tell the user. */
class TrialStop {
  constructor(
    readonly outcome: Outcome,
    readonly message: string,
    readonly phase: string,
    readonly exit?: QemuExit,
  ) {}
}

/**
 * Boots one guest and measures it. QEMU starts paused; the phases (DESIGN.md) are:
 *   qemuInit   spawn → first QMP command answered (device creation is done: QEMU answers
 *              commands only from its main loop; the greeting can come earlier, e.g. 0.7 s
 *              before it with 1500 legacy -drive disks)
 *   guestBoot  → guest `init` marker (after `cont`)
 *   diskProbe  → guest `ready` marker (all disks seen)
 *   shutdown   → QEMU exited
 * Any outcome is recorded; nothing here throws for a failing guest or QEMU, and QEMU is dead
 * and its files removed when this returns.
 */
export async function runTrial(trial: Trial, ctx: TrialContext): Promise<Observation> {
  const startedAt = new Date().toISOString();
  const dir = await tmpDir({ unsafeCleanup: true, prefix: 'emuflock-' });
  const guestConsole = new GuestConsole();
  const marks = new PhaseMarks();
  const guest: Observation['guest'] = { uptimeAtInitS: null, uptimeAtReadyS: null, disksSeen: null };
  let qemu: QemuProcess | undefined;
  let sampler: ResourceSampler | undefined;
  let stop: TrialStop | undefined;
  let args: string[] = [];
  let endpoints: SocketEndpoint[] = [];
  let qmp: QmpClient | undefined;
  let resources: Observation['resources'] = { rssPeakKiB: null, fdsPeak: null, threadsPeak: null };
  let recorder: PerfRecorder | undefined;
  let profile: Observation['profile'];
  let profileError: string | undefined;
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
        guestArgs: [`emuflock.disks=${expected}`, `emuflock.probe_timeout=${Math.max(1, Math.floor(timeouts.diskProbeS * 0.9))}`],
      }),
      ...(ctx.extraQemuArgs ?? []),
    ];

    qemu = new QemuProcess(ctx.variant.binary, args, { cwd: dir.path, stopped: ctx.profile === true });
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
    sampler = new ResourceSampler(qemu.pid);
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
    guest.uptimeAtReadyS = ready.marker.uptimeS ?? null;
    guest.disksSeen = Number(ready.marker.fields.disks ?? NaN);
    if (!Number.isFinite(guest.disksSeen)) guest.disksSeen = null;

    const exit = await watch.step('shutdown', timeouts.shutdownS, () => qemu!.exited, { exitIsExpected: true });
    marks.exit = exit.at;
    if (guest.disksSeen !== params.disks) {
      stop = new TrialStop('guest-failed', `the guest saw ${String(guest.disksSeen)} disks; the trial gave it ${params.disks}`, 'disk-probe');
    } else if (exit.signal || exit.exitCode !== archSpec(params.arch as ArchName).guestExitStatus) {
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
    for (const ep of endpoints) ep.close();
    if (recorder) {
      profile = await phaseProfile(recorder, marks.windows(stoppedAt)).catch((e: Error) => {
        profileError = `perf script failed: ${e.message}`;
        return undefined;
      });
    }
    await dir.cleanup().catch(() => {});
  }

  const obs: Observation = {
    ...observationOf(trial, ctx, startedAt),
    phases: marks.phases(),
    guest,
    resources,
    outcome: stop?.outcome ?? 'ok',
    ...(profile ? { profile } : {}),
    ...(profileError ? { profileError } : {}),
  };
  if (stop) {
    obs.error = {
      message: stop.message,
      phase: stop.phase,
      ...(stop.exit?.exitCode !== undefined ? { exitCode: stop.exit.exitCode } : {}),
      ...(stop.exit?.signal ? { signal: stop.exit.signal } : {}),
      stderrTail: tail(qemu?.stderr ?? ''),
      consoleTail: tail(guestConsole.tail()),
      commandLine: summarizeCommandLine(ctx.variant.binary, args),
    };
  }
  return obs;
}

/**
 * An Observation of a trial that measured nothing (yet): who, what, where, with no phase reached.
 * runTrial fills in what it measured; a trial refused before booting keeps it as it is.
 */
export function observationOf(trial: Trial, ctx: TrialContext, startedAt: string): Observation {
  return {
    schema: observationSchema,
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
    phases: { qemuInitMs: null, guestBootMs: null, diskProbeMs: null, shutdownMs: null, totalMs: null },
    guest: { uptimeAtInitS: null, uptimeAtReadyS: null, disksSeen: null },
    counts: unmeasuredCounts,
    resources: { rssPeakKiB: null, fdsPeak: null, threadsPeak: null },
    outcome: 'ok',
  };
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

/** A guest that gives up (its `failed` marker) or panics ends the trial as guest-failed. */
class GuestFailureWatch {
  readonly failed: Promise<string>;
  private resolveFailed!: (reason: string) => void;

  constructor(c: GuestConsole) {
    this.failed = new Promise((resolve) => (this.resolveFailed = resolve));
    c.onMarker((m) => {
      if (m.marker.kind !== 'failed') return;
      const f = m.marker.fields;
      this.fail(`the guest gave up: ${f.reason ?? 'no reason given'} (saw ${f.disks ?? '?'} of ${f.expected ?? '?'} disks)`);
    });
  }

  fail(reason: string): void {
    this.resolveFailed(reason);
  }
}

/** Races each phase against its timeout, QEMU's exit and a guest failure. */
class PhaseWatch {
  constructor(
    private readonly qemu: QemuProcess,
    private readonly guestFailure: GuestFailureWatch,
    private readonly consoleClosed: Promise<void>,
    private readonly expectedDisks: number,
  ) {}

  async step<T>(phase: string, timeoutS: number, work: () => Promise<T>, opts: { exitIsExpected?: boolean } = {}): Promise<T> {
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

  private expectedHint(phase: string): string {
    return phase === 'disk-probe' ? ` (waiting for ${this.expectedDisks} disks)` : '';
  }

  /** QEMU exited before the guest was ready: a guest that said why failed; otherwise QEMU did. */
  private async explainExit(phase: string, exit: QemuExit): Promise<TrialStop> {
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

function describeExit(exit: QemuExit): string {
  return exit.signal ? `signal ${exit.signal}` : `status ${String(exit.exitCode)}`;
}
