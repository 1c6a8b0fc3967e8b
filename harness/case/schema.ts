import { z } from 'zod';
import { archNames, archSpec } from '../arch/index.js';
import { variantDefSchema } from '../variants/variant-defs.js';
import { referenceSchema } from './reference.js';
import { migrateSchema } from './migrate.js';
import { positiveInt } from './positive-int.js';
import { sweepFields } from './sweep.js';
import { accelerators, diskBackends } from '../record/params.js';
import { phaseTable, type PhaseTimeoutName } from '../record/phases.js';

/**
 * The case file schema. Every value that ends up inside a QEMU option is constrained here,
 * so nothing a case says can smuggle an extra option through a comma or a space.
 */

const qemuToken = z
  .string()
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only (the value goes into a QEMU option)');

export { irqchipModes, type IrqchipMode } from '../arch/index.js';

const trialEnds = ['ready', 'qemu-init'] as const;

const repetitionCount = positiveInt.max(1000, 'at most 1000 repetitions');

const seconds = z.number().positive('must be more than 0 seconds');

const phaseTimeoutFields = Object.fromEntries(phaseTable.map((p) => [p.timeout, seconds.optional()])) as Record<PhaseTimeoutName, z.ZodOptional<typeof seconds>>;

export const caseSchema = z
  .strictObject({
    description: z.string().min(1).optional(),
    arch: z.enum(archNames).default('s390x'),
    accel: z.enum(accelerators).default('tcg'),
    machine: qemuToken.optional(),
    cpus: positiveInt.max(248).default(1),
    /** disks, drives, queues, memoryMiB, guests, irqchip, env, nics (sweep.ts). */
    ...sweepFields,
    disk: z
      .strictObject({
        backend: z.enum(diskBackends).default('file'),
        sizeMiB: positiveInt.max(1024 * 1024).default(1),
      })
      .prefault({}),
    /** At most this many guests start at once (the rest wait); default: the host's CPU count. */
    guestStarts: positiveInt.max(4096).optional(),
    /** Seconds a fleet stays up, all guests idle together, after its last guest is ready. */
    holdS: z.number().min(0).max(3600).default(0),
    /** Once the fleet is up, live-migrate every guest at once (case/migrate.ts). */
    migrate: migrateSchema.optional(),
    /** I/O threads per guest; disks are given to them round-robin (0: the main loop serves all). */
    iothreads: z.number().int().min(0).max(1024).default(0),
    /** Pty consoles per guest (-chardev pty + virtconsole), counted against kernel.pty.max. */
    ptys: z.number().int().min(0).max(4096).default(0),
    /** Names (`system`, or defined in patches/variants.yaml) or inline definitions. */
    variants: z
      .array(z.union([qemuToken, variantDefSchema.extend({ name: qemuToken })]))
      .min(1, 'name at least one variant')
      .default(['system']),
    /**
     * Counted trials per (variant, point): a number, or `{min, max}` to add trials while a
     * variant's comparison against the first variant is undecided (run/schedule/adaptive.ts).
     */
    repetitions: z
      .union([repetitionCount, z.strictObject({ min: repetitionCount, max: repetitionCount })], {
        error: 'expected a whole number of repetitions, or {min, max} for adaptive repetitions',
      })
      .default(1),
    warmup: z.number().int().min(0).max(100).default(0),
    seed: z.number().int().min(0).optional(),
    /** Published figures this case reproduces, shown beside its own (case/reference.ts). */
    reference: z.array(referenceSchema).max(50).default([]),
    /**
     * Where a trial ends: `ready` (every disk seen by the guest) or `qemu-init` (QEMU's main loop
     * answers QMP; the guest never runs and QEMU is told to quit). totalMs is spawn → that end.
     */
    until: z.enum(trialEnds).default('ready'),
    /** Record a perf profile of every trial, cut by phase (same as `emuflock run --profile`). */
    profile: z.boolean().default(false),
    /** Seconds per phase, e.g. diskProbeS; a phase not given gets defaults.ts's, which grow with the disks. */
    timeouts: z.strictObject(phaseTimeoutFields).prefault({}),
  })
  .superRefine((c, ctx) => {
    const names = c.variants.map(variantName);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: ['variants', i], message: `variant "${n}" is listed twice` });
    });
    if (typeof c.repetitions === 'object' && c.repetitions.max < c.repetitions.min) {
      ctx.addIssue({ code: 'custom', path: ['repetitions', 'max'], message: `must be at least min (${c.repetitions.min})` });
    }
    if (c.until === 'qemu-init') {
      // A fleet holds its guests up together and migrates running guests: both need them booted.
      const needsGuests = [
        ['guests', sweepValues(c.guests, 'guests').some((g) => g.value > 1)],
        ['holdS', c.holdS > 0],
        ['migrate', c.migrate !== undefined],
      ] as const;
      for (const [field, set] of needsGuests) {
        if (set) ctx.addIssue({ code: 'custom', path: [field], message: `needs booted guests; until: qemu-init ends each trial before the guest runs` });
      }
    }
    if (c.irqchip !== undefined && c.accel !== 'kvm') {
      ctx.addIssue({ code: 'custom', path: ['irqchip'], message: 'kernel-irqchip is a KVM property: set accel: kvm, or drop irqchip' });
    }
    const spec = archSpec(c.arch);
    // One complaint per field: a machine the token rule refused is not judged again.
    if (c.machine !== undefined && qemuToken.safeParse(c.machine).success && !spec.machineTypes.pattern.test(c.machine)) {
      ctx.addIssue({ code: 'custom', path: ['machine'], message: `"${c.machine}" is not a machine type of ${c.arch} QEMU (${spec.machineTypes.shown})` });
    }
    for (const { value: mode, path } of sweepValues(c.irqchip, 'irqchip')) {
      if (!spec.irqchipModes.includes(mode)) {
        const reason = spec.irqchipModesReason ?? `use one of ${spec.irqchipModes.join(', ')}`;
        ctx.addIssue({ code: 'custom', path, message: `kernel-irqchip=${mode} is not available on ${c.arch}: ${reason}` });
      }
    }
    c.reference.forEach((r, i) => {
      if (!names.includes(r.variant)) ctx.addIssue({ code: 'custom', path: ['reference', i, 'variant'], message: `"${r.variant}" is not a variant of this case (${names.join(', ')})` });
      const disks = Array.isArray(c.disks) ? c.disks : [c.disks];
      if (!disks.includes(r.disks)) ctx.addIssue({ code: 'custom', path: ['reference', i, 'disks'], message: `the case boots ${disks.join(', ')} disks, not ${r.disks}` });
    });
    for (const { value: n, path } of sweepValues(c.disks, 'disks')) {
      if (n > spec.maxDisks) ctx.addIssue({ code: 'custom', path, message: `${n} disks do not fit: ${spec.maxDisksReason}` });
    }
    const mostDisks = Math.max(...sweepValues(c.disks, 'disks').map((d) => d.value));
    for (const { value: n, path } of sweepValues(c.nics, 'nics')) {
      if (n > 0 && n + mostDisks > spec.maxDisks) ctx.addIssue({ code: 'custom', path, message: `${n} NICs beside ${mostDisks} disks do not fit: ${spec.maxDisksReason}` });
    }
  });

/** Each value of a sweepable field with the path an error about it points at (the list item's own). */
function sweepValues<T>(v: T | T[] | undefined, field: string): { value: T; path: (string | number)[] }[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map((value, i) => ({ value, path: [field, i] })) : [{ value: v, path: [field] }];
}

export type CaseInput = z.input<typeof caseSchema>;
export type CaseSpec = z.output<typeof caseSchema>;

/** A loaded case: the validated spec plus where it came from. */
export interface LoadedCase {
  name: string;
  file: string;
  spec: CaseSpec;
  /** The file's text and its sha256: a run records exactly which case produced it. */
  text: string;
  sha256: string;
}

/** Repetitions as a range; the plain number n means {min: n, max: n} (never adaptive). */
export function repetitionRange(spec: Pick<CaseSpec, 'repetitions'>): { min: number; max: number } {
  const r = spec.repetitions;
  return typeof r === 'number' ? { min: r, max: r } : r;
}

export function variantName(v: CaseSpec['variants'][number]): string {
  return typeof v === 'string' ? v : v.name;
}
