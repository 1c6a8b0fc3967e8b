import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HeldGuest } from '../../session/guest-run.js';
import { Destination } from './destination.js';
import type { InFlight } from './in-flight.js';
import type { PortRange } from './port-range.js';
import { migrationEnded, parseQueryMigrate, type MigrationStatus } from './query-migrate.js';
import type { GuestMigration, MigrationOutcome } from '../../../record/migration.js';

const pollMs = 100;
/** After migrate_cancel, how long the source may take to say cancelled. */
const cancelGraceS = 10;

/**
 * One guest's live migration, in the steps libvirt takes: a port from the range, a destination
 * QEMU listening on it (prepare), then `migrate` on the source and `query-migrate` polled until
 * it ends, then the guest resumed on the destination (migrate). Each step's failure is this
 * guest's outcome, with its reason; nothing here throws, and end() leaves no destination behind.
 */
export class GuestMigrator {
  private port: number | null = null;
  private destination: Destination | undefined;
  private outcome: MigrationOutcome | undefined;
  private reason: string | undefined;
  private status: MigrationStatus | undefined;
  private resumeMs: number | null = null;
  private destinationRunning: boolean | null = null;

  constructor(
    private readonly index: number,
    private readonly source: HeldGuest | undefined,
    private readonly range: PortRange,
    private readonly binary: string,
    private readonly onSpawn?: (pid: number) => void,
  ) {
    if (!source) this.stop('not-booted', 'the guest did not get up, so it was not migrated');
  }

  private get uri(): string {
    return `tcp:127.0.0.1:${this.port}`;
  }

  /** Port and listening destination; false when this guest cannot migrate (its outcome says why). */
  async prepare(): Promise<boolean> {
    if (this.outcome) return false;
    const grant = await this.range.acquire();
    if ('error' in grant) return this.stop('no-port', grant.error);
    this.port = grant.port;
    try {
      this.destination = await Destination.start(this.source!, this.binary, 'destination', this.onSpawn);
      await this.destination.listen(this.uri);
      return true;
    } catch (e) {
      return this.stop('destination-failed', (e as Error).message);
    }
  }

  /**
   * Migrates a prepared guest, at most `maxBandwidthMiBs` when given; a migration still going at
   * `deadline` (performance.now()) is cancelled.
   */
  async migrate(deadline: number, inFlight: InFlight, maxBandwidthMiBs?: number): Promise<void> {
    const qmp = this.source!.qmp;
    inFlight.begin();
    let cancelled = false;
    let status: MigrationStatus | undefined;
    try {
      if (maxBandwidthMiBs !== undefined) await qmp.execute('migrate-set-parameters', { 'max-bandwidth': Math.round(maxBandwidthMiBs * 1024 * 1024) });
      await qmp.execute('migrate', { uri: this.uri });
      for (;;) {
        status = this.status = parseQueryMigrate(await qmp.execute('query-migrate'));
        if (migrationEnded(status)) break;
        if (!cancelled && performance.now() > deadline) {
          cancelled = true;
          deadline = performance.now() + cancelGraceS * 1000;
          await qmp.execute('migrate_cancel');
        } else if (cancelled && performance.now() > deadline) {
          throw new Error(`the source still says ${status.status} ${cancelGraceS} s after migrate_cancel`);
        }
        await sleep(pollMs);
      }
    } catch (e) {
      this.stop('failed', `the source QEMU: ${(e as Error).message}`);
      return;
    } finally {
      inFlight.end();
    }
    const completedAt = performance.now();
    if (cancelled) {
      this.stop('timeout', `not done within the case's migrate.timeoutS; the source then said ${status!.status}`);
      return;
    }
    if (status!.status !== 'completed') {
      this.stop(status!.status === 'cancelled' ? 'cancelled' : 'failed', status!.errorDesc ?? `the source said ${status!.status}`);
      return;
    }
    try {
      const status = await this.destination!.resume();
      this.destinationRunning = status === 'running';
      this.resumeMs = performance.now() - completedAt;
      if (!this.destinationRunning) this.stop('destination-failed', `the destination is ${status} after the migration, not running`);
      else this.outcome = 'completed';
    } catch (e) {
      this.destinationRunning = false;
      this.stop('destination-failed', (e as Error).message);
    }
  }

  /** Ends the destination QEMU and gives the port back. */
  async end(): Promise<void> {
    await this.destination?.end();
    if (this.port !== null) this.range.release(this.port);
  }

  result(): GuestMigration {
    const s = this.status;
    return {
      index: this.index,
      outcome: this.outcome ?? 'failed',
      ...(this.reason ? { reason: this.reason } : {}),
      port: this.port,
      totalMs: s?.totalMs ?? null,
      downtimeMs: s?.downtimeMs ?? null,
      setupMs: s?.setupMs ?? null,
      transferredBytes: s?.transferredBytes ?? null,
      resumeMs: this.resumeMs,
      destinationRunning: this.destinationRunning,
    };
  }

  private stop(outcome: MigrationOutcome, reason: string): false {
    this.outcome ??= outcome;
    this.reason ??= reason;
    return false;
  }
}
