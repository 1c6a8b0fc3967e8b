import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Trial } from '../case/matrix.js';
import type { Counts, GuestRecord, MigrationRecord, Observation } from '../journal/observation.js';
import { ResourceSampler } from '../measure/resources.js';
import { bootGuest } from './guest-session.js';
import type { GuestRun, HeldGuest } from './guest-run.js';
import { migrateFleet } from './migration/fleet-migration.js';
import { StartSlots } from './start-slots.js';
import type { TrialContext } from './trial-context.js';

export type FleetResult = Pick<Observation, 'phases' | 'guest' | 'counts' | 'resources' | 'outcome' | 'error' | 'guests' | 'fleet' | 'migration'>;

/**
 * A trial of `guests: M`: M QEMUs, each with its own disks, sockets and phases, booted with at
 * most `guestStarts` (default: the host's CPUs) starting at once. A ready guest holds (it does
 * not power off) until every guest is ready or has ended, so the whole fleet is alive together
 * at its peak, which is what the host's limits and the summed resources are about; then all
 * are told to quit. A failing guest does not stop the others: each one's outcome is its own.
 */
export async function runFleet(trial: Trial, ctx: TrialContext): Promise<FleetResult> {
  const count = trial.params.guests ?? 1;
  const startConcurrency = Math.max(1, Math.min(count, trial.params.guestStarts ?? ctx.host.cpus));
  const slots = new StartSlots(startConcurrency);
  const pids: number[] = [];
  const sampler = new ResourceSampler(pids, { fleet: true });
  let alive = 0;
  let peakAlive = 0;
  let firstSpawn: number | undefined;
  const readyAt: (number | undefined)[] = new Array(count).fill(undefined);
  const spawnAt: (number | undefined)[] = new Array(count).fill(undefined);

  let settled = 0;
  let allSettled!: () => void;
  const everyoneSettled = new Promise<void>((resolve) => (allSettled = resolve));
  const held: (HeldGuest | undefined)[] = new Array(count).fill(undefined);
  let migration: MigrationRecord | undefined;
  let migrationFault: unknown;
  // The fleet idles together for holdS, then one sample sees all of it at rest.
  const released = everyoneSettled.then(async () => {
    if (trial.params.migrate) {
      // A fault of the harness in it is thrown once every guest has ended, like a guest's.
      migration = await migrateFleet(held, trial.params.migrate, { binary: ctx.variant.binary, log: ctx.log, onSpawn: (pid) => pids.push(pid) }).catch((e: unknown) => {
        migrationFault = e;
        return undefined;
      });
    }
    await sleep((trial.params.holdS ?? 0) * 1000);
    await sampler.sample();
  });
  const t = trial.timeouts;
  // A ready guest waits at most for every later guest to go through all its phases.
  const holdTimeoutS = (t.qemuInitS + t.guestBootS + t.diskProbeS) * Math.ceil(count / startConcurrency) + (trial.params.holdS ?? 0) + 60 + migrationBudgetS(trial);

  const boot = async (index: number): Promise<GuestRun> => {
    await slots.acquire();
    let done = false;
    const readyOrEnded = (how: string) => {
      if (done) return;
      done = true;
      readyAt[index] = performance.now();
      slots.release();
      settled++;
      const since = spawnAt[index] === undefined ? 'before its spawn' : `${((readyAt[index]! - spawnAt[index]!) / 1000).toFixed(1)} s after its spawn`;
      ctx.log?.(`  guest ${index + 1}/${count} ${how} ${since} (${settled} of ${count} settled, ${alive} QEMUs alive)`);
      if (settled === count) allSettled();
    };
    try {
      return await bootGuest(trial, { ...ctx, profile: false }, {
        hold: { ready: () => readyOrEnded('ready'), released, timeoutS: holdTimeoutS, held: (g) => (held[index] = g) },
        onSpawn: (pid) => {
          spawnAt[index] = performance.now();
          firstSpawn ??= spawnAt[index];
          if (pids.length === 0) sampler.start();
          pids.push(pid);
          peakAlive = Math.max(peakAlive, ++alive);
        },
      });
    } finally {
      readyOrEnded('ended without getting ready');
      alive--;
    }
  };

  // allSettled: an emuflock error in one guest is reported only once every other guest has
  // ended, so no QEMU outlives the error's report.
  const settledRuns = await Promise.allSettled(Array.from({ length: count }, (_, i) => boot(i)));
  const resources = await sampler.stop();
  const broken = settledRuns.find((r) => r.status === 'rejected');
  if (broken) throw broken.reason;
  if (migrationFault) throw migrationFault;
  const runs = settledRuns.map((r) => (r as PromiseFulfilledResult<GuestRun>).value);
  const guests: GuestRecord[] = runs.map((r, index) => ({
    index,
    spawnMs: spawnAt[index] !== undefined && firstSpawn !== undefined ? spawnAt[index]! - firstSpawn : null,
    outcome: r.outcome,
    phases: r.phases,
    guest: r.guest,
    counts: r.counts,
    resources: r.resources,
    ...(r.heldCpu !== undefined ? { heldCpu: r.heldCpu } : {}),
    ...(r.error ? { error: r.error } : {}),
  }));
  const failed = guests.find((g) => g.outcome !== 'ok');
  const slowest = slowestGuest(guests);
  const allReady = !failed && firstSpawn !== undefined ? Math.max(...readyAt.map((r) => r ?? NaN)) - firstSpawn : NaN;
  return {
    phases: slowest.phases,
    guest: slowest.guest,
    counts: summedCounts(guests.map((g) => g.counts)),
    resources,
    outcome: failed?.outcome ?? 'ok',
    ...(failed?.error ? { error: { ...failed.error, message: `guest ${failed.index + 1} of ${count}: ${failed.error.message}` } } : {}),
    guests,
    fleet: { guests: count, startConcurrency, allReadyMs: Number.isFinite(allReady) ? allReady : null, peakAlive },
    ...(migration ? { migration } : {}),
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
