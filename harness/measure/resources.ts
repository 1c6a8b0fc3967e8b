import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { addressSpaceOf, parseMaps } from './address-space.js';
import type { ResourcePeaks } from '../record/resources.js';

/**
 * Samples processes' memory, open fds and threads from /proc until stopped. For one process the
 * memory is VmHWM, the kernel's own peak, so only fds and threads depend on the sampling
 * interval; both are set up with the devices and then stay, so once a second is enough, and
 * listing thousands of fds more often would cost the QEMU being measured. For several processes
 * (a fleet) each figure is the peak of their sum at one sample, memory then from VmRSS: summed
 * high-water marks of processes that peaked at different times would overstate the host's peak.
 */
export class ResourceSampler {
  private peaks: Required<ResourcePeaks> = { rssPeakKiB: null, fdsPeak: null, threadsPeak: null, vmPeakKiB: null, committedPeakKiB: null, mallocArenasPeak: null };
  private timer: NodeJS.Timeout | undefined;
  /** The samples asked for and not yet taken, and the last of them: each reads after the one before. */
  private waiting = 0;
  private last: Promise<void> = Promise.resolve();
  /** opts.exe as /proc/PID/exe shows it (symlinks resolved), once known. */
  private exe: Promise<string> | undefined;

  /**
   * `pids` is read at every sample, so a fleet can add processes as they start; `fleet` sums
   * them (current memory) instead of taking one process's high-water mark. `exe`: the program
   * the pids are measured as; a pid is counted only once it runs it. (QEMU is exec'd on its pid
   * by a launcher, setpriv → bash → QEMU: a sample at the spawn once counted the launcher's
   * fds, inherited ones it was about to close included.) `read` is what one process's sample
   * is: /proc, unless a test needs to control when a read ends.
   */
  constructor(
    private readonly pids: readonly number[],
    private readonly opts: { fleet?: boolean; intervalMs?: number; exe?: string; read?: typeof sampleProcess } = {},
  ) {}

  start(): void {
    void this.sample();
    // A tick that finds a sample under way lets it be: the next tick is a second away.
    this.timer = setInterval(() => {
      if (this.waiting === 0) void this.sample();
    }, this.opts.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Takes a last sample (the process may still be alive) and returns the peaks. */
  async stop(): Promise<ResourcePeaks> {
    if (this.timer) clearInterval(this.timer);
    await this.sample();
    return { ...this.peaks };
  }

  /**
   * One sample now, besides the periodic ones (e.g. at a known steady state): read after any
   * sample under way, never instead of it. (A sample asked for at the guest's ready once
   * returned at once because a periodic one was reading: the peak missed the fds QEMU opened
   * in between, 19 of a 5-NIC guest's 34, on a loaded host.)
   */
  async sample(): Promise<void> {
    this.waiting++;
    const next = this.last.then(() => this.read());
    this.last = next.catch(() => {});
    try {
      await next;
    } finally {
      this.waiting--;
    }
  }

  private async read(): Promise<void> {
    const memoryField = this.opts.fleet ? 'VmRSS' : 'VmHWM';
    const vmField = this.opts.fleet ? 'VmSize' : 'VmPeak';
    const read = this.opts.read ?? sampleProcess;
    if (this.opts.exe !== undefined) this.exe ??= realpath(this.opts.exe).catch(() => this.opts.exe!);
    const exe = await this.exe;
    const seen = (await Promise.all(this.pids.map((pid) => read(pid, memoryField, vmField, exe)))).filter((s) => s !== undefined);
    if (seen.length === 0) return;
    const sum = (k: keyof ProcessSample) => seen.reduce((a, s) => a + s[k], 0);
    this.peaks = {
      rssPeakKiB: max(this.peaks.rssPeakKiB, sum('memoryKiB')),
      fdsPeak: max(this.peaks.fdsPeak, sum('fds')),
      threadsPeak: max(this.peaks.threadsPeak, sum('threads')),
      vmPeakKiB: max(this.peaks.vmPeakKiB, sum('vmKiB')),
      committedPeakKiB: max(this.peaks.committedPeakKiB, sum('committedKiB')),
      mallocArenasPeak: max(this.peaks.mallocArenasPeak, sum('mallocArenas')),
    };
  }
}

export interface ProcessSample {
  memoryKiB: number;
  fds: number;
  threads: number;
  vmKiB: number;
  committedKiB: number;
  mallocArenas: number;
}

/** One process's figures; undefined once it is gone, or while it runs another program than `exe`. */
export async function sampleProcess(pid: number, memoryField: 'VmHWM' | 'VmRSS', vmField: 'VmPeak' | 'VmSize', exe?: string): Promise<ProcessSample | undefined> {
  try {
    // A binary replaced while it runs (an upgrade of the system's QEMU mid-run) shows as
    // "PATH (deleted)": still the program measured.
    if (exe !== undefined && (await readlink(`/proc/${pid}/exe`)).replace(/ \(deleted\)$/, '') !== exe) return undefined;
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const memoryKiB = statusKiB(status, memoryField);
    const vmKiB = statusKiB(status, vmField);
    const threads = Number(status.match(/^Threads:\s+(\d+)/m)?.[1]);
    const fds = (await readdir(`/proc/${pid}/fd`)).length;
    // maps, not smaps: smaps walks every page table to count RSS, which would cost the QEMU measured.
    const space = addressSpaceOf(parseMaps(await readFile(`/proc/${pid}/maps`, 'utf8')));
    if (!Number.isFinite(memoryKiB) || !Number.isFinite(threads)) return undefined;
    return { memoryKiB, fds, threads, vmKiB, ...space };
  } catch {
    // The process is gone (or became a zombie): it holds nothing any more.
    return undefined;
  }
}

/** A `Name:   123 kB` line of /proc/PID/status; NaN when absent (a zombie has no Vm* lines). */
export function statusKiB(status: string, field: string): number {
  return Number(status.match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))?.[1]);
}

function max(a: number | null, b: number): number | null {
  if (!Number.isFinite(b)) return a;
  return a === null ? b : Math.max(a, b);
}

/**
 * CPU time a process has used (user + system, all threads), in seconds; null once it is gone.
 * /proc/PID/stat counts in clock ticks, which are 100 per second on every Linux architecture
 * emuflock runs on (USER_HZ; sysconf cannot be asked from Node).
 */
export async function cpuSeconds(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / 100 : null;
}
