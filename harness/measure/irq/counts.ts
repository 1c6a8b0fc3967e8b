import { access } from 'node:fs/promises';
import { countFallbacks, FallbackCounter, type FallbackTally } from './fallback-messages.js';
import { countTraceFile, type TraceTally } from './trace-counts.js';
import {
  adapterInterruptEvent,
  commitEvent,
  irqfdNotifyEvent,
  irqfdNotifyDeferredEvent,
  irqTraceEvents,
  msiRouteEvent,
  notifyEvent,
  releaseEvent,
  vmIoctlEvent,
  type IrqTraceTarget,
} from './trace-args.js';
import { unmeasuredCounts, type Counts } from '../../record/counts.js';

/** What collectIrqCounts reads; record/counts.ts says what each count means. */
export interface IrqCountInputs extends IrqTraceTarget {
  /** The `-D` file QEMU wrote (irqTraceArgs). Missing: QEMU never opened it, and the trace counts are null. */
  traceFile: string;
  /**
   * QEMU's stderr: a FallbackCounter fed while QEMU ran (exact however much QEMU printed), or
   * text (a kept tail misses fallbacks before it), or null when stderr was not kept.
   */
  stderr: FallbackCounter | FallbackTally | string | null;
}

export interface IrqCountDetails {
  counts: Counts;
  /** Absent when nothing was traced (TCG) or the log was missing. */
  trace?: TraceTally;
  fallbacks?: FallbackTally;
  /** Why a count is null or may be off, in words (for a report or a log line). */
  notes: string[];
}

/** The Observation's counts: the one call a trial makes after QEMU has exited. */
export async function collectIrqCounts(inputs: IrqCountInputs): Promise<Counts> {
  return (await collectIrqDetails(inputs)).counts;
}

/** The counts with what they were made from. */
export async function collectIrqDetails(inputs: IrqCountInputs): Promise<IrqCountDetails> {
  const events = irqTraceEvents(inputs);
  const notes: string[] = [];
  if (events.length === 0) {
    notes.push(`${inputs.arch} under ${inputs.accel}: no in-kernel irqchip routes to count`);
    return { counts: { ...unmeasuredCounts }, notes };
  }
  const fallbacks = fallbackTally(inputs.stderr);
  const missing = new Set(fallbacks?.missingTraceEvents ?? []);
  // Every binary lacks one of the irqfd event's two names (renamed in 8.2): not worth a note.
  const renamed = [irqfdNotifyEvent, irqfdNotifyDeferredEvent];
  const unexpected = [...missing].filter((e) => !(renamed.includes(e) && renamed.some((r) => !missing.has(r))));
  if (unexpected.length > 0) notes.push(`QEMU lacks trace events: ${unexpected.join(', ')}`);
  const traced = new Set(events.filter((e) => !missing.has(e)));

  let trace: TraceTally | undefined;
  if (await exists(inputs.traceFile)) trace = await countTraceFile(inputs.traceFile);
  else notes.push(`no trace log at ${inputs.traceFile}: QEMU did not start tracing`);
  if (trace && trace.malformedLines > 0) notes.push(`${trace.malformedLines} trace lines did not parse`);

  // A count is taken when its event was both asked for and present in the binary.
  const count = (event: string, value: (t: TraceTally) => number): number | null =>
    trace !== undefined && traced.has(event) ? value(trace) : null;
  const counts: Counts = {
    routeCommits: trace ? commits(trace, traced, notes) : null,
    routesAdded: inputs.arch === 'x86_64' ? count(msiRouteEvent, (t) => t.msiRoutesAdded) : null,
    routesReleased: count(releaseEvent, (t) => t.routesReleased),
    irqfdNotifies: count(traced.has(irqfdNotifyDeferredEvent) ? irqfdNotifyDeferredEvent : irqfdNotifyEvent, (t) => t.irqfdNotifies),
    userspaceNotifies:
      inputs.arch === 's390x' ? count(adapterInterruptEvent, (t) => t.adapterInterrupts) : count(notifyEvent, (t) => t.notifies),
    irqfdFallbacks: fallbacks ? fallbacks.fallbacks : null,
  };
  if (!fallbacks) notes.push('no stderr: fallbacks not counted');
  return { counts, ...(trace ? { trace } : {}), ...(fallbacks ? { fallbacks } : {}), notes };
}

/**
 * Each commit fires kvm_irqchip_commit_routes and then, inside it, kvm_vm_ioctl with
 * KVM_SET_GSI_ROUTING (kvm-all.c): the same commit twice. The commit event counts; the ioctl
 * stands in only when the commit event is missing, and a disagreement is noted (both are written
 * before the ioctl runs, so even the commit that makes 7.2 abort on a full table has both).
 */
function commits(trace: TraceTally, traced: Set<string>, notes: string[]): number | null {
  const byEvent = traced.has(commitEvent);
  const byIoctl = traced.has(vmIoctlEvent);
  if (byEvent && byIoctl && trace.commits !== trace.ioctls.setGsiRouting) {
    notes.push(`${trace.commits} routing commits but ${trace.ioctls.setGsiRouting} KVM_SET_GSI_ROUTING ioctls`);
  }
  if (byEvent) return trace.commits;
  return byIoctl ? trace.ioctls.setGsiRouting : null;
}

function fallbackTally(stderr: IrqCountInputs['stderr']): FallbackTally | undefined {
  if (stderr === null) return undefined;
  if (typeof stderr === 'string') return countFallbacks(stderr);
  return stderr instanceof FallbackCounter ? stderr.end() : stderr;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
