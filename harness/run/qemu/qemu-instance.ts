import type { Socket } from 'node:net';
import { join } from 'node:path';
import { envAssignments } from '../../case/env.js';
import { shellQuote } from '../../core/shell-quote.js';
import { summarizeCommandLine } from './command-summary.js';
import { QemuProcess, type QemuLaunchOptions } from './qemu-process.js';
import { QmpClient, type QmpEvent } from './qmp.js';
import { SocketEndpoint } from './sockets.js';

/**
 * One QEMU and all that lives and dies with it, as QEMU's own python QEMUMachine has it: the QMP
 * and console sockets (listening before QEMU starts, which connects to them), the process, the
 * QMP handshake, and an end that leaves none of them behind. A guest's session and a
 * migration's destination are each one of these; what they do with the guest is their own.
 */
export class QemuInstance {
  private launched: { qemu: QemuProcess; commandLine: string } | undefined;
  private qmp: QmpClient | undefined;

  private constructor(
    /** The socket paths, for QEMU's command line. */
    readonly sockets: { qmp: string; console: string },
    private readonly endpoints: { qmp: SocketEndpoint; console: SocketEndpoint },
  ) {}

  /**
   * Listens on the QMP and console sockets in `dir` (`qmp.sock` and `console.sock`, or
   * `NAME-qmp.sock` and `NAME-console.sock` for a second QEMU of the same guest).
   */
  static async listen(dir: string, name?: string): Promise<QemuInstance> {
    const file = (socket: string) => join(dir, name === undefined ? `${socket}.sock` : `${name}-${socket}.sock`);
    const sockets = { qmp: file('qmp'), console: file('console') };
    const qmpEndpoint = await SocketEndpoint.listen(sockets.qmp);
    const consoleEndpoint = await SocketEndpoint.listen(sockets.console).catch((e: unknown) => {
      qmpEndpoint.close();
      throw e;
    });
    return new QemuInstance(sockets, { qmp: qmpEndpoint, console: consoleEndpoint });
  }

  /** Starts QEMU with arguments that name this instance's sockets. */
  launch(binary: string, args: string[], options: QemuLaunchOptions = {}): QemuProcess {
    const qemu = new QemuProcess(binary, args, options);
    // The guest's environment first, as a shell takes it, so the line reruns the same QEMU.
    const commandLine = [...envAssignments(options.env).map(shellQuote), summarizeCommandLine(binary, args)].join(' ');
    this.launched = { qemu, commandLine };
    return qemu;
  }

  /** The process, once launched. */
  get process(): QemuProcess | undefined {
    return this.launched?.qemu;
  }

  /** How a user reruns this QEMU (per-disk options counted, not repeated); empty before launch. */
  get commandLine(): string {
    return this.launched?.commandLine ?? '';
  }

  /**
   * QMP, once QEMU has answered its first command: QEMU answers only from its main loop, when
   * every device exists, while its greeting can come earlier. `onEvent` sees every event from
   * the connection on (a guest can panic before the handshake ends).
   */
  async handshake(onEvent?: (e: QmpEvent) => void): Promise<QmpClient> {
    const client = new QmpClient(await this.endpoints.qmp.connection());
    this.qmp = client;
    if (onEvent) client.onEvent(onEvent);
    await client.waitGreeting();
    await client.execute('qmp_capabilities');
    return client;
  }

  /** The console's connection, once QEMU has made it. */
  console(): Promise<Socket> {
    return this.endpoints.console.connection();
  }

  /** QEMU's process group killed and reaped, then QMP and both sockets closed, whatever else fails. */
  async end(): Promise<void> {
    try {
      await this.launched?.qemu.kill();
    } finally {
      this.qmp?.close();
      this.endpoints.qmp.close();
      this.endpoints.console.close();
    }
  }
}
