/**
 * A counting semaphore for guest start-up: at most `size` guests are starting at once, so a
 * fleet of hundreds does not boot hundreds of kernels on a few CPUs, each then timing out.
 * Slots are handed out in request order.
 */
export class StartSlots {
  private free: number;
  private waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
