import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseMarker, type GuestMarker } from '../measure/markers.js';

export interface TimedMarker {
  marker: GuestMarker;
  /** performance.now() when the line arrived on the console socket. */
  at: number;
}

const keptLines = 40;

/**
 * Reads the guest console line by line: marker lines go to listeners with their arrival time;
 * the last lines are kept so a failure can show what the guest said before it stopped.
 */
export class GuestConsole {
  readonly markers: TimedMarker[] = [];
  private recent: string[] = [];
  private partial = '';
  private listeners: ((m: TimedMarker) => void)[] = [];
  private socket: Socket | undefined;

  attach(socket: Socket): void {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => {});
  }

  /** A line to the guest: the answer a guest booted with `emuflock.answer=1` waits for after ready. */
  answer(): void {
    if (this.socket?.writable) this.socket.write('\n');
  }

  onMarker(listener: (m: TimedMarker) => void): void {
    this.listeners.push(listener);
  }

  /** The console's last lines, newest last (a partial line included). */
  tail(): string {
    return [...this.recent, this.partial].filter((l) => l.length > 0).join('\n');
  }

  private onData(chunk: string): void {
    const at = performance.now();
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.replace(/\r/g, '');
      this.recent.push(line);
      if (this.recent.length > keptLines) this.recent.shift();
      const marker = parseMarker(line);
      if (marker) {
        const timed = { marker, at };
        this.markers.push(timed);
        for (const l of this.listeners) l(timed);
      }
    }
  }
}
