import { createServer } from 'node:net';

/** Whether this process could listen on 127.0.0.1:port right now. */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export type PortGrant = { port: number } | { error: string };

/**
 * Migration ports handed out from one range the way libvirt's virPortAllocator does it: the
 * lowest port not already handed out whose bind succeeds (a port another program holds is
 * skipped, not fatal), until released; none left is the error libvirt gives, in its words.
 * Like libvirt, the bind check and QEMU's own listen are two steps: a program that takes the
 * port in between makes the destination's `migrate-incoming` fail instead.
 */
export class PortRange {
  private readonly taken = new Set<number>();

  constructor(
    readonly from: number,
    readonly count: number,
    private readonly bindable: (port: number) => Promise<boolean> = canBind,
  ) {}

  get last(): number {
    return this.from + this.count - 1;
  }

  async acquire(): Promise<PortGrant> {
    for (let port = this.from; port <= this.last; port++) {
      if (this.taken.has(port)) continue;
      // Marked before the check: a concurrent acquire must not try the same port.
      this.taken.add(port);
      if (await this.bindable(port)) return { port };
      this.taken.delete(port);
    }
    return { error: `Unable to find an unused port in range 'migration' (${this.from}-${this.last})` };
  }

  release(port: number): void {
    this.taken.delete(port);
  }
}
