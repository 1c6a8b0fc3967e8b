import { markerPrefix } from './init-script.js';

/** A marker line of the guest protocol, e.g. `EMUFLOCK ready disks=1000 uptime=8.67`. */
export interface GuestMarker {
  kind: 'init' | 'ready' | 'failed';
  fields: Record<string, string>;
  uptimeS: number | undefined;
}

const kinds = new Set(['init', 'ready', 'failed']);

/**
 * Only lines that start with the prefix count: the harness relies on nothing else the guest
 * prints. The console may prefix a line with noise (e.g. a carriage return), so the prefix is
 * searched, and a malformed marker is ignored rather than guessed at.
 */
export function parseMarker(line: string): GuestMarker | undefined {
  const start = line.indexOf(`${markerPrefix} `);
  if (start < 0) return undefined;
  const [kind, ...rest] = line.slice(start + markerPrefix.length + 1).trim().split(/\s+/);
  if (!kind || !kinds.has(kind)) return undefined;
  const fields: Record<string, string> = {};
  for (const pair of rest) {
    const eq = pair.indexOf('=');
    if (eq > 0) fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const uptime = fields.uptime !== undefined ? Number(fields.uptime) : NaN;
  return { kind: kind as GuestMarker['kind'], fields, uptimeS: Number.isFinite(uptime) ? uptime : undefined };
}
