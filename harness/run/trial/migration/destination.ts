import { setTimeout as sleep } from 'node:timers/promises';
import { tail } from '../../../core/exec.js';
import type { HeldGuest } from '../../session/guest-run.js';
import { QemuInstance } from '../../qemu/qemu-instance.js';
import { describeExit, type QemuProcess } from '../../qemu/qemu-process.js';
import type { QmpClient } from '../../qemu/qmp.js';
import { destinationArgs } from './destination-args.js';

const startTimeoutS = 60;
const resumeTimeoutS = 30;
const quitTimeoutS = 10;

/**
 * The receiving QEMU of one guest's migration: the source's command line plus `-incoming
 * defer`, its own QMP and console sockets in the guest's trial directory, started paused like
 * the source (-S), so the harness says when the guest runs on it (`cont`), as libvirt does.
 * Every method throws an Error whose message says what the destination did; end() never throws.
 */
export class Destination {
  private qmpClient: QmpClient | undefined;

  private constructor(
    private readonly instance: QemuInstance,
    private readonly qemu: QemuProcess,
  ) {}

  static async start(source: HeldGuest, binary: string, name: string, onSpawn?: (pid: number) => void): Promise<Destination> {
    const instance = await QemuInstance.listen(source.dir, name);
    let qemu: QemuProcess;
    try {
      const args = destinationArgs(source.args, [
        { from: source.sockets.qmp, to: instance.sockets.qmp },
        { from: source.sockets.console, to: instance.sockets.console },
      ]);
      qemu = instance.launch(binary, args, { cwd: source.dir });
    } catch (e) {
      await instance.end();
      throw e;
    }
    onSpawn?.(qemu.pid);
    const d = new Destination(instance, qemu);
    // The guest's console moves here with it; read and dropped, so that it never blocks QEMU.
    void instance.console().then((s) => {
      s.on('error', () => {});
      s.resume();
    });
    try {
      d.qmpClient = await d.whileAlive('starting', startTimeoutS, () => instance.handshake());
    } catch (e) {
      await d.end();
      throw e;
    }
    return d;
  }

  /** QMP `migrate-incoming`: QEMU listens on the port (and fails if another program holds it). */
  async listen(uri: string): Promise<void> {
    await this.whileAlive('listening', startTimeoutS, () => this.qmp.execute('migrate-incoming', { uri }));
  }

  /**
   * After the source completed: waits for the incoming side to finish (status leaves
   * `inmigrate`), lets the guest run, and returns the status QEMU then reports.
   */
  async resume(): Promise<string> {
    return this.whileAlive('resuming the guest', resumeTimeoutS, async () => {
      let status = await this.status();
      while (status === 'inmigrate') {
        await sleep(20);
        status = await this.status();
      }
      if (status === 'paused') await this.qmp.execute('cont');
      return this.status();
    });
  }

  /** QMP `quit`, then the process group killed whatever it did; never throws. */
  async end(): Promise<void> {
    if (this.qmpClient) {
      this.qmpClient.execute('quit').catch(() => {});
      await Promise.race([this.qemu.exited, sleep(quitTimeoutS * 1000)]);
    }
    await this.instance.end();
  }

  private get qmp(): QmpClient {
    return this.qmpClient!;
  }

  private async status(): Promise<string> {
    const r = (await this.qmp.execute('query-status')) as { status?: unknown };
    return String(r.status);
  }

  /** Runs work unless QEMU exits first or it takes longer than timeoutS: both are errors. */
  private async whileAlive<T>(what: string, timeoutS: number, work: () => Promise<T>): Promise<T> {
    const timer = new AbortController();
    try {
      return await Promise.race([
        work(),
        this.qemu.exited.then((exit) => {
          const said = tail(this.qemu.stderr, 3).trim();
          throw new Error(`the destination QEMU exited with ${describeExit(exit)} while ${what}${said ? `: ${said}` : ''}`);
        }),
        sleep(timeoutS * 1000, undefined, { signal: timer.signal }).then(
          () => {
            throw new Error(`the destination QEMU did not finish ${what} within ${timeoutS} s`);
          },
          () => new Promise<never>(() => {}),
        ),
      ]);
    } finally {
      timer.abort();
    }
  }
}
