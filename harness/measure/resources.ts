import { readdir, readFile } from 'node:fs/promises';

export interface ResourcePeaks {
  rssPeakKiB: number | null;
  fdsPeak: number | null;
  threadsPeak: number | null;
}

/**
 * Samples a process's memory high-water mark, open fds and threads from /proc until stopped.
 * VmHWM is the kernel's own peak, so only fds and threads depend on the sampling interval;
 * both are set up with the devices and then stay, so once a second is enough, and listing
 * thousands of fds more often would cost the QEMU being measured.
 */
export class ResourceSampler {
  private peaks: ResourcePeaks = { rssPeakKiB: null, fdsPeak: null, threadsPeak: null };
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /** Takes a last sample (the process may still be alive) and returns the peaks. */
  async stop(): Promise<ResourcePeaks> {
    if (this.timer) clearInterval(this.timer);
    await this.sample();
    return { ...this.peaks };
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
      const hwm = Number(status.match(/^VmHWM:\s+(\d+)/m)?.[1]);
      const threads = Number(status.match(/^Threads:\s+(\d+)/m)?.[1]);
      const fds = (await readdir(`/proc/${this.pid}/fd`)).length;
      this.peaks = {
        rssPeakKiB: max(this.peaks.rssPeakKiB, hwm),
        fdsPeak: max(this.peaks.fdsPeak, fds),
        threadsPeak: max(this.peaks.threadsPeak, threads),
      };
    } catch {
      // The process is gone (or became a zombie): keep what was seen.
    } finally {
      this.busy = false;
    }
  }
}

function max(a: number | null, b: number): number | null {
  if (!Number.isFinite(b)) return a;
  return a === null ? b : Math.max(a, b);
}
