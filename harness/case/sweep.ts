import { z } from 'zod';
import { irqchipModes } from '../arch/index.js';
import { driveSyntaxes, type TrialParams } from '../record/params.js';
import { defaultMemoryMiB } from './defaults.js';
import { guestEnvSchema } from './env.js';
import { positiveInt } from './positive-int.js';

/** A parameter a case may sweep: one value, or a list of values to try each. */
function sweepable<T extends z.ZodType>(item: T) {
  return z.union([item, z.array(item).min(1, 'a sweep needs at least one value')]);
}

/** One combination of swept values, as the case gives them (absent: the case leaves it out). */
export type SweptPoint = Partial<TrialParams> & Pick<TrialParams, 'disks'>;

/**
 * A row of the table, for the trial parameter of the same name:
 * - field: the case file's key, one value or a list (with its default, or optional)
 * - whenAbsent: what the trial gets when the case leaves an optional one out; without it, the
 *   trial's parameter is absent too
 * - recordedIf: given every value the case sweeps it through, whether its trials record it
 */
interface Sweepable<K extends keyof TrialParams> {
  field: z.ZodType<NonNullable<TrialParams[K]> | NonNullable<TrialParams[K]>[] | undefined, unknown>;
  whenAbsent?: (point: SweptPoint) => NonNullable<TrialParams[K]>;
  recordedIf?: (values: readonly NonNullable<TrialParams[K]>[]) => boolean;
}

/**
 * Every parameter a case may sweep, in the order a point's label lists them and its
 * combinations nest (the first outermost, so points come in file order). Each is a key of the
 * case file and a parameter of the trial (record/params.ts) of the same name; a new one is a
 * new row here and its field there.
 */
export const sweepTable = {
  disks: { field: sweepable(positiveInt) },
  /** How disks are given to QEMU: -blockdev + -device, or -drive if=none without/with unit=. */
  drives: { field: sweepable(z.enum(driveSyntaxes)).default('blockdev') },
  queues: { field: sweepable(positiveInt.max(1024)).default(1) },
  /** Guest RAM; omitted, it grows with the disk and NIC counts (defaults.ts: 4096 disks need 2 GiB). */
  memoryMiB: {
    field: sweepable(positiveInt.min(128, 'must be at least 128 MiB')).optional(),
    whenAbsent: (point: SweptPoint) => defaultMemoryMiB(point.disks, point.nics),
  },
  /** QEMU processes booted together per trial, each with its own disks (the talk's guests per host). */
  guests: { field: sweepable(positiveInt.max(4096)).default(1) },
  /** KVM's kernel-irqchip machine property (on: routes in the kernel; split: IOAPIC in QEMU). */
  irqchip: { field: sweepable(z.enum(irqchipModes)).optional() },
  /** Extra environment for each QEMU (env.ts); a list of maps sweeps it, `{}` being none. */
  env: { field: sweepable(guestEnvSchema).optional() },
  /** virtio-net devices per guest, each on a tap in a network namespace of QEMU's own (run/qemu/nic-network.ts). */
  nics: {
    field: sweepable(z.number().int('must be a whole number').min(0, 'must be 0 or more').max(65535)).default(0),
    // Every point of a case that gives any NICs has them (nics=0 included), so labels read them.
    recordedIf: (values: readonly number[]) => values.some((n) => n > 0),
  },
} satisfies { [K in keyof TrialParams]?: Sweepable<K> };

export type SweptParam = keyof typeof sweepTable;
export const sweepableParams = Object.keys(sweepTable) as SweptParam[];

/** The case file's fields of the sweepable parameters, for the case schema. */
export const sweepFields = Object.fromEntries(sweepableParams.map((name) => [name, sweepTable[name].field])) as {
  [K in SweptParam]: (typeof sweepTable)[K]['field'];
};

/** A row as sweptTrialParams reads any of them (methods, so that each row's own types fit). */
interface SweepRule {
  field: unknown;
  whenAbsent?(point: SweptPoint): unknown;
  recordedIf?(values: readonly unknown[]): boolean;
}

/** A combination's parameters as its trials record them. */
export function sweptTrialParams(point: SweptPoint, values: Readonly<Record<SweptParam, readonly unknown[]>>): Pick<TrialParams, SweptParam> {
  const params: Partial<Record<SweptParam, unknown>> = {};
  for (const name of sweepableParams) {
    const rule: SweepRule = sweepTable[name];
    const value = point[name] ?? rule.whenAbsent?.(point);
    // Absent rather than undefined: params are compared with journals, where undefined vanishes.
    if (value !== undefined && (rule.recordedIf?.(values[name]) ?? true)) params[name] = value;
  }
  return params as Pick<TrialParams, SweptParam>;
}
