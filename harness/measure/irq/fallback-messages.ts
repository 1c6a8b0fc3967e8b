import { LineSplitter } from './lines.js';
import { missingTraceEvent } from './trace-args.js';

/**
 * irqfd fallbacks, counted from QEMU's stderr: no trace event marks one.
 *
 * One fallback is one failed start of one device's notifier path, after which that device's
 * notifications go through QEMU in userspace instead of an irqfd (and its virtqueue kicks
 * through QEMU instead of an ioeventfd). QEMU 7.2 says so in two messages for one device, both
 * without naming it, in this order on the thread that holds the BQL:
 *
 *   virtio-blk  (hw/block/dataplane/virtio-blk.c, virtio_blk_data_plane_start; virtio-blk uses
 *               this path with or without an iothread)
 *                 "virtio-blk failed to set guest notifier (%d), ensure -accel kvm is set."
 *                 or "virtio-blk failed to set host notifier (%d)"
 *               then (hw/virtio/virtio-bus.c, virtio_bus_start_ioeventfd)
 *                 "virtio_bus_start_ioeventfd: failed. Fallback to userspace (slower)."
 *   virtio-scsi (hw/scsi/virtio-scsi-dataplane.c)
 *                 "virtio-scsi: Failed to set guest notifiers (%d), ensure -accel kvm is set."
 *                 or "virtio-scsi: Failed to set host notifier (%d)"
 *               then the same virtio_bus_start_ioeventfd line
 *   vhost-net   (hw/net/vhost_net.c, vhost_net_start) "Error binding guest notifier: %d"
 *               then (hw/net/virtio-net.c) "unable to start vhost net: %d: falling back on userspace virtio"
 *   ioeventfd   any other virtio device whose start_ioeventfd fails: the virtio_bus_start_ioeventfd
 *               line alone, perhaps after "virtio_bus_set_host_notifier: unable to assign
 *               ioeventfd: %d" or "...: unable to init event notifier: %s (%d)"
 *
 * So the closing line of each pair is what counts (one per device start), and the line before
 * it only says which device kind and which errno (e.g. 28, ENOSPC: the GSI routes ran out).
 * A device the guest resets and starts again can fall back again, and counts again. Lines are
 * matched anywhere in a stderr line: error_report prefixes the program name, and with
 * `-msg timestamp=on` a date.
 */

export type FallbackDevice = 'virtio-blk' | 'virtio-scsi' | 'vhost-net' | 'ioeventfd';

interface Message {
  pattern: RegExp;
  device: FallbackDevice;
  /** Closes a device's failed start: the line that counts. */
  closes: boolean;
}

const messages: readonly Message[] = [
  { pattern: /virtio_bus_start_ioeventfd: failed\. Fallback to userspace \(slower\)\./, device: 'ioeventfd', closes: true },
  { pattern: /unable to start vhost net: (-?\d+): falling back on userspace virtio/, device: 'vhost-net', closes: true },
  { pattern: /virtio-blk failed to set (?:guest|host) notifier \((-?\d+)\)/, device: 'virtio-blk', closes: false },
  { pattern: /virtio-scsi: Failed to set (?:guest notifiers|host notifier) \((-?\d+)\)/, device: 'virtio-scsi', closes: false },
  { pattern: /Error binding guest notifier: (-?\d+)/, device: 'vhost-net', closes: false },
  { pattern: /virtio_bus_set_host_notifier: unable to (?:assign ioeventfd: (-?\d+)|init event notifier: .* \((-?\d+)\))/, device: 'ioeventfd', closes: false },
];

export interface FallbackTally {
  /** Device starts that fell back to userspace: the count that goes into Observation.counts. */
  fallbacks: number;
  byDevice: Record<FallbackDevice, number>;
  /** Fallbacks by the errno QEMU printed (absolute value; 28 = ENOSPC); none printed: not here. */
  byErrno: Record<string, number>;
  /** A device's first message with no closing line after it: shown, never counted. */
  unclosed: number;
  /** Trace events QEMU said it does not have ("trace event 'NAME' does not exist"). */
  missingTraceEvents: string[];
}

/** At most this many distinct names or errnos are kept: a flood of garbage cannot grow memory. */
const keptKeys = 64;

/**
 * Scans QEMU's stderr as it arrives (write() each chunk, end() at exit), in constant memory, so
 * that a flood of messages from thousands of devices is counted whole even where only a tail of
 * stderr is kept for the Observation's error.
 */
export class FallbackCounter {
  private readonly tally: FallbackTally = {
    fallbacks: 0,
    byDevice: { 'virtio-blk': 0, 'virtio-scsi': 0, 'vhost-net': 0, ioeventfd: 0 },
    byErrno: {},
    unclosed: 0,
    missingTraceEvents: [],
  };
  /** The device kind and errno of the open failure, from its first message. */
  private open: { device: FallbackDevice; errno: number | undefined } | undefined;
  private readonly splitter = new LineSplitter((line) => this.line(line));
  private ended = false;

  write(chunk: string): void {
    if (!this.ended) this.splitter.write(chunk);
  }

  /** The tally; safe to call again (later calls change nothing). */
  end(): FallbackTally {
    if (!this.ended) {
      this.ended = true;
      this.splitter.end();
      if (this.open) this.tally.unclosed++;
      this.open = undefined;
    }
    return this.tally;
  }

  private line(line: string): void {
    const missing = missingTraceEvent(line);
    if (missing !== undefined) {
      const names = this.tally.missingTraceEvents;
      if (!names.includes(missing) && names.length < keptKeys) names.push(missing);
      return;
    }
    for (const m of messages) {
      const match = m.pattern.exec(line);
      if (!match) continue;
      const printed = match.slice(1).find((g) => g !== undefined);
      const errno = printed === undefined ? undefined : Math.abs(Number(printed));
      if (m.closes) this.close(m.device, errno);
      else this.opened(m.device, errno);
      return;
    }
  }

  private opened(device: FallbackDevice, errno: number | undefined): void {
    if (this.open) {
      // virtio_bus_set_host_notifier's line inside a virtio-blk/scsi start: the device stays known.
      if (device === 'ioeventfd') return;
      // A second device-named first line with no closing line between: the first stays unclosed.
      if (this.open.device !== 'ioeventfd') this.tally.unclosed++;
    }
    this.open = { device, errno: errno ?? this.open?.errno };
  }

  private close(device: FallbackDevice, errno: number | undefined): void {
    const t = this.tally;
    // The generic virtio-bus line belongs to the device its opening line named.
    const open = this.open;
    const kind = device === 'ioeventfd' && open ? open.device : device;
    if (open && open.device !== kind && open.device !== 'ioeventfd') t.unclosed++;
    const code = errno ?? (open?.device === kind ? open.errno : undefined);
    t.fallbacks++;
    t.byDevice[kind]++;
    if (code !== undefined) {
      const key = String(code);
      if (key in t.byErrno || Object.keys(t.byErrno).length < keptKeys) t.byErrno[key] = (t.byErrno[key] ?? 0) + 1;
    }
    this.open = undefined;
  }
}

/** Scans a whole stderr text (or the tail a trial kept: then fallbacks before the tail are missed). */
export function countFallbacks(stderr: string): FallbackTally {
  const counter = new FallbackCounter();
  counter.write(stderr);
  return counter.end();
}
