import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseMarker, type GuestMarker } from '../../guest/protocol.js';

export interface TimedMarker {
  marker: GuestMarker;
  /** performance.now() when the line arrived on the console socket (see markerTimes). */
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
  private lastArrival = -Infinity;

  attach(socket: Socket): void {
    this.socket = socket;
    this.lastArrival = performance.now();
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
    const arrived = performance.now();
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    const markers: GuestMarker[] = [];
    for (const raw of lines) {
      const line = raw.replace(/\r/g, '');
      this.recent.push(line);
      if (this.recent.length > keptLines) this.recent.shift();
      const marker = parseMarker(line);
      if (marker) markers.push(marker);
    }
    const timed = markerTimes(markers, arrived, this.lastArrival);
    this.lastArrival = arrived;
    for (const t of timed) {
      this.markers.push(t);
      for (const l of this.listeners) l(t);
    }
  }
}

/**
 * Markers that came in one read all arrived at once, however far apart the guest printed them
 * (a host busy elsewhere reads its console late: seen, an 8-disk guest's init and ready markers
 * in one read, a disk probe of 0 ms). The last one keeps the arrival time; each earlier one is
 * dated back by the guest's own uptime between them, but never before the previous read (or the
 * console's attach), since it was not there to be read yet.
 */
export function markerTimes(markers: GuestMarker[], arrived: number, previousArrival: number): TimedMarker[] {
  const last = markers[markers.length - 1]?.uptimeS;
  return markers.map((marker) => {
    const back = last !== undefined && marker.uptimeS !== undefined ? Math.max(0, (last - marker.uptimeS) * 1000) : 0;
    return { marker, at: Math.max(previousArrival, arrived - back) };
  });
}
