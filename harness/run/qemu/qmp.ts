import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface QmpEvent {
  event: string;
  data?: unknown;
  /** performance.now() when the event arrived. */
  at: number;
}

/**
 * The little of QMP the harness needs: the greeting, commands in order, and events with their
 * arrival time. QEMU writes one JSON object per line.
 */
export class QmpClient {
  readonly events: QmpEvent[] = [];
  private buffer = '';
  private greetingWaiters: ((g: unknown) => void)[] = [];
  private greeting: unknown;
  private pending: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  private closedError: Error | undefined;
  private eventListeners: ((e: QmpEvent) => void)[] = [];

  constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => this.onClose(new Error('QMP connection closed')));
    socket.on('error', (e) => this.onClose(e));
  }

  /** Resolves with QEMU's greeting (its version and capabilities). */
  waitGreeting(): Promise<unknown> {
    if (this.greeting !== undefined) return Promise.resolve(this.greeting);
    return new Promise((resolve) => this.greetingWaiters.push(resolve));
  }

  /** Sends a command; resolves with its `return`, rejects with QEMU's error description. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    });
  }

  onEvent(listener: (e: QmpEvent) => void): void {
    this.eventListeners.push(listener);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    const at = performance.now();
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) this.onMessage(JSON.parse(line) as Record<string, unknown>, at);
    }
  }

  private onMessage(msg: Record<string, unknown>, at: number): void {
    if ('QMP' in msg) {
      this.greeting = msg.QMP;
      for (const w of this.greetingWaiters.splice(0)) w(msg.QMP);
    } else if ('event' in msg) {
      const e: QmpEvent = { event: String(msg.event), data: msg.data, at };
      this.events.push(e);
      for (const l of this.eventListeners) l(e);
    } else if ('return' in msg || 'error' in msg) {
      const waiter = this.pending.shift();
      if (!waiter) return;
      if ('error' in msg) {
        const err = msg.error as { class?: string; desc?: string };
        waiter.reject(new Error(`QMP error ${err.class ?? ''}: ${err.desc ?? JSON.stringify(err)}`));
      } else {
        waiter.resolve(msg.return);
      }
    }
  }

  private onClose(e: Error): void {
    if (this.closedError) return;
    this.closedError = e;
    for (const w of this.pending.splice(0)) w.reject(e);
  }
}
