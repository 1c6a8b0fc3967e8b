import { execa, type ResultPromise } from 'execa';
import { performance } from 'node:perf_hooks';
import { killGroup, registerGroup, unregisterGroup } from './process-group.js';

export interface QemuExit {
  exitCode: number | undefined;
  signal: string | undefined;
  /** performance.now() when the process was reaped. */
  at: number;
}

const stderrKeptBytes = 64 * 1024;

/**
 * One QEMU process: its own process group, a parent-death signal so that even a SIGKILLed
 * harness takes it down, and a bounded stderr buffer (QEMU can warn once per device).
 */
export class QemuProcess {
  readonly spawnedAt: number;
  readonly exited: Promise<QemuExit>;
  readonly pid: number;
  private stderrText = '';
  private child: ResultPromise;

  constructor(binary: string, args: string[], options: { cwd?: string } = {}) {
    this.spawnedAt = performance.now();
    // setpriv execs QEMU in place (same pid); PR_SET_PDEATHSIG survives the exec.
    this.child = execa('setpriv', ['--pdeathsig', 'SIGKILL', '--', binary, ...args], {
      detached: true,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      cleanup: false,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    if (this.child.pid === undefined) {
      throw new Error('could not spawn setpriv (util-linux)');
    }
    this.pid = this.child.pid;
    registerGroup(this.pid);
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrText += chunk;
      if (this.stderrText.length > stderrKeptBytes) this.stderrText = this.stderrText.slice(-stderrKeptBytes);
    });
    this.exited = this.child.then((r) => {
      unregisterGroup(this.pid);
      return { exitCode: r.exitCode, signal: r.signal, at: performance.now() };
    });
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Kills the whole group (QEMU and anything it forked) and waits until it is reaped. */
  async kill(): Promise<QemuExit> {
    killGroup(this.pid);
    return this.exited;
  }
}
