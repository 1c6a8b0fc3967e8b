/**
 * Every QEMU the harness starts leads its own process group and is listed here until it is
 * reaped, so that any way out of the harness (normal end, error, SIGINT, SIGTERM, SIGHUP)
 * kills them all. SIGKILL of the harness cannot be caught: there, QEMU's parent-death signal
 * (setpriv --pdeathsig, see qemu-process.ts) does the job.
 */
import { setGracefulCleanup } from 'tmp-promise';

const liveGroups = new Set<number>();
let handlersInstalled = false;

export function registerGroup(pid: number): void {
  installHandlers();
  liveGroups.add(pid);
}

export function unregisterGroup(pid: number): void {
  liveGroups.delete(pid);
}

export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function killAllGroups(): void {
  for (const pid of liveGroups) killGroup(pid);
}

const fatalSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
const interruptListeners: ((signal: NodeJS.Signals) => void)[] = [];

/** Lets a runner say where it stopped before the process exits on a signal. */
export function onInterrupt(listener: (signal: NodeJS.Signals) => void): () => void {
  installHandlers();
  interruptListeners.push(listener);
  return () => {
    const i = interruptListeners.indexOf(listener);
    if (i >= 0) interruptListeners.splice(i, 1);
  };
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // A trial's private directory (sockets, disk images) is removed by the trial itself; when a
  // signal ends the harness mid-trial, tmp removes it on the way out instead.
  setGracefulCleanup();
  process.on('exit', killAllGroups);
  for (const signal of fatalSignals) {
    process.on(signal, () => {
      killAllGroups();
      for (const l of interruptListeners) {
        try {
          l(signal);
        } catch {
          // A failing listener must not keep QEMU alive or the harness running.
        }
      }
      process.exit(128 + (signalNumbers[signal] ?? 0));
    });
  }
}
