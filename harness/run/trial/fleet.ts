import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Trial } from '../../case/matrix.js';
import { ResourceSampler } from '../../measure/resources.js';
import { bootGuest } from '../session/guest-session.js';
import type { GuestRun, HeldGuest } from '../session/guest-run.js';
import { migrateFleet } from './migration/fleet-migration.js';
import { StartSlots } from './start-slots.js';
import type { TrialContext } from '../session/trial-context.js';
import type { Counts } from '../../record/counts.js';
import type { GuestRecord } from '../../record/fleet.js';
import type { MigrationRecord } from '../../record/migration.js';
import type { Observation } from '../../record/observation.js';

export type FleetResult = Pick<Observation, 'phases' | 'guest' | 'counts' | 'resources' | 'outcome' | 'error' | 'guests' | 'fleet' | 'migration'>;

/**
 * A trial of `guests: M`: M QEMUs, each with its own disks, sockets and phases, booted with at
 * most `guestStarts` (default: the host's CPUs) starting at once. A ready guest holds (it does
 * not power off) until every guest is ready or has ended, so the whole fleet is alive together
 * at its peak, which is what the host's limits and the summed resources are about; then all
 * are told to quit (a migrating fleet first migrates). A failing guest does not stop the
 * others: each one's outcome is its own.
 */
export function runFleet(trial: Trial, ctx: TrialContext): Promise<FleetResult> {
  return new Fleet(trial, ctx).run();
}

class Fleet {
  private readonly count: number;
  private readonly startConcurrency: number;
  private readonly slots: StartSlots;
  private readonly pids: number[] = [];
  private readonly sampler: ResourceSampler;
  private alive = 0;
  private peakAlive = 0;
  private firstSpawn: number | undefined;
  private readonly readyAt: (number | undefined)[];
  private readonly spawnAt: (number | undefined)[];
  private readonly held: (HeldGuest | undefined)[];
  private settled = 0;
  private allSettled!: () => void;
  /** Every guest ready or ended, then the migration and the hold: the guests may quit. */
  private readonly released: Promise<void>;
  /** A ready guest waits at most for every later guest to go through all its phases. */
  private readonly holdTimeoutS: number;
  private migration: MigrationRecord | undefined;
  private migrationFault: unknown;

  constructor(
    private readonly trial: Trial,
    private readonly ctx: TrialContext,
  ) {
    this.count = trial.params.guests ?? 1;
    this.startConcurrency = Math.max(1, Math.min(this.count, trial.params.guestStarts ?? ctx.host.cpus));
    this.slots = new StartSlots(this.startConcurrency);
    this.sampler = new ResourceSampler(this.pids, { fleet: true, exe: ctx.variant.binary });
    this.readyAt = new Array(this.count).fill(undefined);
    this.spawnAt = new Array(this.count).fill(undefined);
    this.held = new Array(this.count).fill(undefined);
    this.released = new Promise<void>((resolve) => (this.allSettled = resolve)).then(() => this.whileAllUp());
    const t = trial.timeouts;
    this.holdTimeoutS =
      (t.qemuInitS + t.guestBootS + t.diskProbeS) * Math.ceil(this.count / this.startConcurrency) + (trial.params.holdS ?? 0) + 60 + migrationBudgetS(trial);
  }

  async run(): Promise<FleetResult> {
    // allSettled: an emuflock error in one guest is reported only once every other guest has
    // ended, so no QEMU outlives the error's report.
    const settledRuns = await Promise.allSettled(Array.from({ length: this.count }, (_, i) => this.boot(i)));
    const resources = await this.sampler.stop();
    const broken = settledRuns.find((r) => r.status === 'rejected');
    if (broken) throw broken.reason;
    if (this.migrationFault) throw this.migrationFault;
    return this.result(settledRuns.map((r) => (r as PromiseFulfilledResult<GuestRun>).value), resources);
  }

  /** The fleet migrates (a case with `migrate:`), idles together for holdS, then one sample sees all of it at rest. */
  private async whileAllUp(): Promise<void> {
    const { migrate, holdS } = this.trial.params;
    if (migrate) {
      // A fault of the harness in it is thrown once every guest has ended, like a guest's.
      this.migration = await migrateFleet(this.held, migrate, { binary: this.ctx.variant.binary, log: this.ctx.log, onSpawn: (pid) => this.pids.push(pid) }).catch(
        (e: unknown) => {
          this.migrationFault = e;
          return undefined;
        },
      );
    }
    await sleep((holdS ?? 0) * 1000);
    await this.sampler.sample();
  }

  private async boot(index: number): Promise<GuestRun> {
    await this.slots.acquire();
    const settle = once((how: string) => this.settle(index, how));
    try {
      return await bootGuest(this.trial, { ...this.ctx, profile: false }, {
        hold: { ready: () => settle('ready'), released: this.released, timeoutS: this.holdTimeoutS, held: (g) => (this.held[index] = g) },
        onSpawn: (pid) => this.spawned(index, pid),
      });
    } finally {
      settle('ended without getting ready');
      this.alive--;
    }
  }

  private spawned(index: number, pid: number): void {
    this.spawnAt[index] = performance.now();
    this.firstSpawn ??= this.spawnAt[index];
    if (this.pids.length === 0) this.sampler.start();
    this.pids.push(pid);
    this.peakAlive = Math.max(this.peakAlive, ++this.alive);
  }

  /** A guest is ready or has ended: its start slot is free, and the fleet may be all up. */
  private settle(index: number, how: string): void {
    const at = (this.readyAt[index] = performance.now());
    this.slots.release();
    this.settled++;
    const spawned = this.spawnAt[index];
    const since = spawned === undefined ? 'before its spawn' : `${((at - spawned) / 1000).toFixed(1)} s after its spawn`;
    this.ctx.log?.(`  guest ${index + 1}/${this.count} ${how} ${since} (${this.settled} of ${this.count} settled, ${this.alive} QEMUs alive)`);
    if (this.settled === this.count) this.allSettled();
  }

  private result(runs: GuestRun[], resources: FleetResult['resources']): FleetResult {
    const guests = runs.map((r, index) => this.guestRecord(r, index));
    const failed = guests.find((g) => g.outcome !== 'ok');
    const slowest = slowestGuest(guests);
    const allReady = !failed && this.firstSpawn !== undefined ? Math.max(...this.readyAt.map((r) => r ?? NaN)) - this.firstSpawn : NaN;
    return {
      phases: slowest.phases,
      guest: slowest.guest,
      counts: summedCounts(guests.map((g) => g.counts)),
      resources,
      outcome: failed?.outcome ?? 'ok',
      ...(failed?.error ? { error: { ...failed.error, message: `guest ${failed.index + 1} of ${this.count}: ${failed.error.message}` } } : {}),
      guests,
      fleet: { guests: this.count, startConcurrency: this.startConcurrency, allReadyMs: Number.isFinite(allReady) ? allReady : null, peakAlive: this.peakAlive },
      ...(this.migration ? { migration: this.migration } : {}),
    };
  }

  private guestRecord(r: GuestRun, index: number): GuestRecord {
    const spawned = this.spawnAt[index];
    return {
      index,
      spawnMs: spawned !== undefined && this.firstSpawn !== undefined ? spawned - this.firstSpawn : null,
      outcome: r.outcome,
      phases: r.phases,
      guest: r.guest,
      counts: r.counts,
      resources: r.resources,
      ...(r.heldCpu !== undefined ? { heldCpu: r.heldCpu } : {}),
      ...(r.error ? { error: r.error } : {}),
    };
  }
}

/** f, called at most once: a guest settles when it is ready or, failing that, when it ends. */
function once<A extends unknown[]>(f: (...args: A) => void): (...args: A) => void {
  let called = false;
  return (...args) => {
    if (called) return;
    called = true;
    f(...args);
  };
}

/** What a migrating fleet's held guests wait on top: destinations starting, the migrations, resuming, quitting. */
function migrationBudgetS(trial: Trial): number {
  const m = trial.params.migrate;
  return m ? m.timeoutS + trial.timeouts.qemuInitS + 120 : 0;
}

/** The guest that took longest to get ready; the first guest when none got there. */
function slowestGuest(guests: GuestRecord[]): GuestRecord {
  const ready = guests.filter((g) => g.phases.totalMs !== null);
  if (ready.length === 0) return guests[0]!;
  return ready.reduce((a, b) => (b.phases.totalMs! > a.phases.totalMs! ? b : a));
}

/** Counts are exact, so the fleet's are the sums; unmeasured on any guest means unmeasured. */
function summedCounts(all: Counts[]): Counts {
  const keys = Object.keys(all[0]!) as (keyof Counts)[];
  return Object.fromEntries(
    keys.map((k) => [k, all.some((c) => c[k] === null) ? null : all.reduce((a, c) => a + c[k]!, 0)]),
  ) as unknown as Counts;
}
