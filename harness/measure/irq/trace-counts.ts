import { createReadStream } from 'node:fs';
import { EmuflockError } from '../../core/errors.js';
import { LineSplitter } from './lines.js';
import {
  adapterInterruptEvent,
  commitEvent,
  irqfdNotifyEvent,
  irqfdNotifyDeferredEvent,
  msiRouteEvent,
  notifyEvent,
  releaseEvent,
  vmIoctlEvent,
} from './trace-args.js';

/**
 * VM ioctl request numbers as kvm_vm_ioctl prints them (`type 0x%x`), from linux/kvm.h with the
 * generic ioctl encoding that x86_64 and s390x share.
 */
export const kvmIoctls = {
  /** KVM_SET_GSI_ROUTING = _IOW(KVMIO, 0x6a, struct kvm_irq_routing): one per routing commit. */
  setGsiRouting: '0x4008ae6a',
  /** KVM_IRQFD = _IOW(KVMIO, 0x76, struct kvm_irqfd): binds (or, with a flag the trace does not show, unbinds) an irqfd. */
  irqfd: '0x4020ae76',
  /** KVM_SIGNAL_MSI = _IOW(KVMIO, 0xa5, struct kvm_msi): an MSI injected by QEMU itself. */
  signalMsi: '0x4020aea5',
  /** KVM_IRQ_LINE_STATUS = _IOWR(KVMIO, 0x67, struct kvm_irq_level): a pin level set by QEMU. */
  irqLineStatus: '0xc008ae67',
} as const;

/** What a trace log held, event by event: the raw material of the counts (counts.ts). */
export interface TraceTally {
  /** Every line read. */
  lines: number;
  /** Lines of no event counted here: other `-d` output, a last line cut short. */
  otherLines: number;
  /** Lines of a counted event whose arguments do not read as QEMU 7.2 prints them. */
  malformedLines: number;
  commits: number;
  msiRoutesAdded: number;
  routesReleased: number;
  irqfdNotifies: number;
  notifies: number;
  adapterInterrupts: number;
  ioctls: {
    setGsiRouting: number;
    /** Binds and unbinds together: kvm_vm_ioctl prints the request, not the deassign flag. */
    irqfd: number;
    signalMsi: number;
    irqLineStatus: number;
    other: number;
  };
}

export function emptyTally(): TraceTally {
  return {
    lines: 0,
    otherLines: 0,
    malformedLines: 0,
    commits: 0,
    msiRoutesAdded: 0,
    routesReleased: 0,
    irqfdNotifies: 0,
    notifies: 0,
    adapterInterrupts: 0,
    ioctls: { setGsiRouting: 0, irqfd: 0, signalMsi: 0, irqLineStatus: 0, other: 0 },
  };
}

const isDigit = (code: number) => code >= 48 && code <= 57;
/** `-msg timestamp=on`: `TID@SECONDS.USEC:` before the event name. */
const timestampPrefix = /^\d+@\d+\.\d{6}:/;
/** kvm_vm_ioctl's arguments start `type 0x...,`: the hex number is compared as printed. */
const ioctlTypeLabel = 'type ';
const ioctlTypeHex = `${ioctlTypeLabel}0x`;

/**
 * Counts trace lines as they come, in constant memory: feed text with write() (chunks may split
 * lines anywhere), then end(). An event counts only when its whole name and the space after it
 * were written: `virtio_notify` cut from `virtio_notify_irqfd` at the end of a killed QEMU's log
 * must not count as the other event.
 */
export class TraceCounter {
  readonly tally: TraceTally = emptyTally();
  private readonly splitter = new LineSplitter((line) => this.line(line));
  private ended = false;

  write(chunk: string): void {
    if (!this.ended) this.splitter.write(chunk);
  }

  /** The tally, with a last line that had no newline; safe to call again. */
  end(): TraceTally {
    if (!this.ended) {
      this.ended = true;
      this.splitter.end();
    }
    return this.tally;
  }

  private line(line: string): void {
    const t = this.tally;
    t.lines++;
    let start = 0;
    if (isDigit(line.charCodeAt(0))) {
      const prefix = timestampPrefix.exec(line);
      if (!prefix) {
        t.otherLines++;
        return;
      }
      start = prefix[0].length;
    }
    const space = line.indexOf(' ', start);
    if (space < 0) {
      t.otherLines++;
      return;
    }
    switch (line.slice(start, space)) {
      case commitEvent:
        t.commits++;
        break;
      case msiRouteEvent:
        t.msiRoutesAdded++;
        break;
      case releaseEvent:
        t.routesReleased++;
        break;
      case irqfdNotifyEvent:
      case irqfdNotifyDeferredEvent:
        t.irqfdNotifies++;
        break;
      case notifyEvent:
        t.notifies++;
        break;
      case adapterInterruptEvent:
        t.adapterInterrupts++;
        break;
      case vmIoctlEvent:
        this.ioctl(line, space + 1);
        break;
      default:
        t.otherLines++;
    }
  }

  /** `kvm_vm_ioctl type 0x4008ae6a, arg 0x55d0c0ffee00` */
  private ioctl(line: string, argsAt: number): void {
    const t = this.tally;
    const comma = line.indexOf(',', argsAt);
    if (!line.startsWith(ioctlTypeHex, argsAt) || comma < 0) {
      t.malformedLines++;
      return;
    }
    switch (line.slice(argsAt + ioctlTypeLabel.length, comma)) {
      case kvmIoctls.setGsiRouting:
        t.ioctls.setGsiRouting++;
        break;
      case kvmIoctls.irqfd:
        t.ioctls.irqfd++;
        break;
      case kvmIoctls.signalMsi:
        t.ioctls.signalMsi++;
        break;
      case kvmIoctls.irqLineStatus:
        t.ioctls.irqLineStatus++;
        break;
      default:
        t.ioctls.other++;
    }
  }
}

/** Counts a trace text held in memory (tests, short logs). */
export function countTraceText(text: string): TraceTally {
  const counter = new TraceCounter();
  counter.write(text);
  return counter.end();
}

/**
 * Counts a trace log file, streamed in 64 KiB pieces: memory stays the same for a log of 1 MB
 * or 10 GB. A file that cannot be read is an input error naming the file.
 */
export async function countTraceFile(path: string): Promise<TraceTally> {
  const counter = new TraceCounter();
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
      counter.write(chunk as string);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new EmuflockError('input', `cannot read the QEMU trace log ${path}: ${code ?? (err as Error).message}`, { cause: err });
  }
  return counter.end();
}
