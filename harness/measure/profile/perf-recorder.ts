import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';

/** Samples per second: enough for a per-phase top list, small enough for 4-minute boots. */
export const defaultFrequencyHz = 499;

/**
 * `perf record` attached to one QEMU process: CPU-clock samples (hardware counters are not
 * available in virtual machines), frame-pointer call chains, CLOCK_MONOTONIC timestamps so
 * samples can be cut at the harness's phase boundaries. perf gets SIGINT if the harness dies,
 * which makes it write a complete file.
 */
export class PerfRecorder {
  private constructor(
    private readonly child: ResultPromise,
    readonly file: string,
  ) {}

  /**
   * Starts perf on `pid` with its events disabled, then enables them through perf's control
   * FIFO and waits for the acknowledgement: when this resolves, every later instant of the
   * process is sampled (polling perf's fds would leave tens of ms of set-up unsampled).
   */
  static async attach(pid: number, file: string, hz = defaultFrequencyHz): Promise<PerfRecorder> {
    const ctl = `${file}.ctl`;
    const ack = `${file}.ack`;
    await execa('mkfifo', ['-m', '600', ctl, ack]);
    const child = execa(
      'setpriv',
      [
        '--pdeathsig', 'SIGINT', '--',
        'perf', 'record', '-q', '-e', 'cpu-clock', '-F', String(hz), '-g', '-k', 'monotonic',
        '-D', '-1', '--control', `fifo:${ctl},${ack}`, '-p', String(pid), '-o', file,
      ],
      { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', cleanup: false },
    );
    const exitedEarly = child.then((r) => {
      throw new Error(`perf record exited at once: ${String(r.stderr).trim()}`);
    });
    const enabled = (async () => {
      // Opening a FIFO blocks until the other end opens it: these complete once perf listens.
      const ctlHandle = await open(ctl, 'w');
      const ackHandle = await open(ack, 'r');
      await ctlHandle.write('enable\n');
      const buf = Buffer.alloc(16);
      await ackHandle.read(buf, 0, buf.length, null);
      await ctlHandle.close();
      await ackHandle.close();
    })();
    const timeout = sleep(10_000).then(() => {
      throw new Error('perf record did not start within 10 s');
    });
    try {
      await Promise.race([enabled, exitedEarly, timeout]);
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
    return new PerfRecorder(child, file);
  }

  /** Waits for perf to finish writing (it ends when QEMU does); interrupts it if QEMU lives on. */
  async stop(): Promise<void> {
    const done = this.child.then(() => undefined);
    const ended = await Promise.race([done.then(() => true), sleep(3000).then(() => false)]);
    if (!ended) {
      this.child.kill('SIGINT');
      await Promise.race([done, sleep(30_000).then(() => this.child.kill('SIGKILL'))]);
    }
  }
}
