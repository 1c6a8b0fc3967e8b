/**
 * The guest protocol (DESIGN.md, "Guest protocol"), both directions in one place: what the
 * harness asks of a guest on its kernel command line, and the marker lines the guest answers
 * with on its console. The s390x init script (init-script.ts) and the x86 probe
 * (x86-probe/probe.c) speak it; the harness relies on nothing else a guest prints.
 */
export const markerPrefix = 'EMUFLOCK';

/** What the harness asks of a guest. */
export interface GuestOrders {
  /** Disks to wait for before the ready marker. */
  disks: number;
  /** NICs to wait for besides lo; with 0 the s390x guest does not even load virtio_net. */
  nics: number;
  /**
   * Seconds after its init marker when the guest gives up with a `failed` marker, so that a
   * missing disk is reported by the guest (which disks it saw) rather than only timed out.
   */
  giveUpS: number;
  /**
   * After the ready marker: `hold` stays up until the harness ends it with QMP `quit` (one guest
   * of a fleet); `answer` powers off only once the harness writes a line on the console (or
   * after 10 s without one), so that the harness counts QEMU's fds before the devices' reset at
   * power-off closes their notifiers (seen: 15 fds of a 4-disk guest's 23, read ~40 ms late on
   * a loaded host).
   */
  afterReady: 'hold' | 'answer';
}

/** The orders as kernel arguments (`emuflock.NAME=VALUE`). */
export function kernelArgs(orders: GuestOrders): string[] {
  return [
    `emuflock.disks=${orders.disks}`,
    ...(orders.nics > 0 ? [`emuflock.nics=${orders.nics}`] : []),
    `emuflock.probe_timeout=${orders.giveUpS}`,
    orders.afterReady === 'hold' ? 'emuflock.hold=1' : 'emuflock.answer=1',
  ];
}

/** A marker line, e.g. `EMUFLOCK ready disks=1000 uptime=8.67`. */
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

/** What a ready marker reports having seen; null where the guest did not say (a guest asked for no NICs says nothing of them). */
export function readyCounts(ready: GuestMarker): { disks: number | null; nics: number | null } {
  return { disks: count(ready.fields.disks), nics: count(ready.fields.nics) };
}

/** A failed marker in words: the guest's reason and what it saw of what it was told to wait for. */
export function failureReason(failed: GuestMarker): string {
  const f = failed.fields;
  const nics = Number(f.expected_nics) > 0 ? `, ${f.nics ?? '?'} of ${f.expected_nics} NICs` : '';
  return `${f.reason ?? 'no reason given'} (saw ${f.disks ?? '?'} of ${f.expected ?? '?'} disks${nics})`;
}

function count(value: string | undefined): number | null {
  const n = Number(value ?? NaN);
  return Number.isInteger(n) ? n : null;
}
