import { performance } from 'node:perf_hooks';

/** Counts migrations under way (told to migrate, not yet ended) and remembers the most at once. */
export class InFlight {
  private now = 0;
  peak = 0;
  /** performance.now() when the last migration ended. */
  lastEndAt: number | undefined;

  begin(): void {
    this.peak = Math.max(this.peak, ++this.now);
  }

  end(): void {
    this.now--;
    this.lastEndAt = performance.now();
  }
}
