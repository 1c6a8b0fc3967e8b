import { execa, type ResultPromise } from 'execa';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { envAssignments } from '../../case/env.js';
import { killGroup, registerGroup, unregisterGroup } from '../../core/process-group.js';
import { shellQuote } from '../../core/shell-quote.js';
import type { GuestEnv } from '../../record/params.js';

export interface QemuExit {
  exitCode: number | undefined;
  signal: string | undefined;
  /** performance.now() when the process was reaped. */
  at: number;
}

export function describeExit(exit: QemuExit): string {
  return exit.signal ? `signal ${exit.signal}` : `status ${String(exit.exitCode)}`;
}

const stderrKeptBytes = 64 * 1024;

/**
 * Node passes on every fd it inherited without close-on-exec (a caller's pipe, a shell's spare
 * /dev/null), and QEMU would hold them for its whole life: they count against its
 * RLIMIT_NOFILE, make the measured fds depend on who started emuflock, and keep a caller's
 * pipe open. QEMU starts with stdin, stdout and stderr only.
 */
const closeInheritedFds = 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-"; done; ';

/**
 * `networkSetup`: an `ip -batch` file (nic-network.ts) run inside the network namespace
 * the process made for itself, before QEMU; if it fails QEMU never starts, and the exit status
 * and stderr say why.
 */
export const networkSetupFailed = 125;
function networkSetupStep(batchFile: string | undefined): string {
  if (batchFile === undefined) return '';
  return `ip -batch ${shellQuote(batchFile)} || { echo "emuflock: setting up the guest's taps and bridges failed" >&2; exit ${networkSetupFailed}; }; `;
}

/**
 * `stopped`: the process stops itself before exec'ing QEMU, so that a profiler can attach
 * before QEMU's first instruction; QemuProcess.resume() lets it go and restarts the clock.
 * `onStderr`: sees all of stderr as it arrives, where `stderr` keeps only the last 64 KiB.
 */
export interface QemuLaunchOptions {
  cwd?: string;
  stopped?: boolean;
  onStderr?: (chunk: string) => void;
  env?: GuestEnv;
  networkSetup?: string;
}

/**
 * One QEMU process: its own process group, a parent-death signal so that even a SIGKILLed
 * harness takes it down, and a bounded stderr buffer (QEMU can warn once per device).
 */
export class QemuProcess {
  private started: number;
  readonly exited: Promise<QemuExit>;
  readonly pid: number;
  private stderrText = '';
  private child: ResultPromise;

  constructor(binary: string, args: string[], options: QemuLaunchOptions = {}) {
    this.started = performance.now();
    // The guest's own environment is given at the last exec (`env NAME=VALUE qemu ...`), so
    // setpriv, unshare and bash run as always and only QEMU sees it.
    const assignments = envAssignments(options.env);
    const exec = assignments.length > 0 ? `exec env -- "\${@:1:${assignments.length}}" "$0" "\${@:${assignments.length + 1}}"` : 'exec "$0" "$@"';
    const launch = closeInheritedFds + networkSetupStep(options.networkSetup) + (options.stopped ? 'kill -STOP $$; ' : '') + exec;
    // setpriv, unshare, bash and env exec QEMU in place (same pid); PR_SET_PDEATHSIG survives the exec.
    const namespace = options.networkSetup !== undefined ? ['unshare', '--net', '--'] : [];
    this.child = execa('setpriv', ['--pdeathsig', 'SIGKILL', '--', ...namespace, 'bash', '-c', launch, binary, ...assignments, ...args], {
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
      // Everything passes through onStderr (e.g. fallback counting); only the tail is kept.
      options.onStderr?.(chunk);
      this.stderrText += chunk;
      if (this.stderrText.length > stderrKeptBytes) this.stderrText = this.stderrText.slice(-stderrKeptBytes);
    });
    this.exited = this.child.then((r) => {
      unregisterGroup(this.pid);
      return { exitCode: r.exitCode, signal: r.signal, at: performance.now() };
    });
  }

  /** When QEMU started running: spawn, or resume() for a process started stopped. */
  get spawnedAt(): number {
    return this.started;
  }

  /** Resolves once a process started with `stopped` has stopped itself. */
  async whenStopped(): Promise<void> {
    for (;;) {
      const stat = await readFile(`/proc/${this.pid}/stat`, 'utf8').catch(() => '');
      if (!stat || / T /.test(stat.slice(stat.lastIndexOf(')')))) return;
      await sleep(5);
    }
  }

  resume(): void {
    this.started = performance.now();
    process.kill(this.pid, 'SIGCONT');
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
