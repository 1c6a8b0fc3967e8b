import { z } from 'zod';
import { archNames, irqchipModes } from '../arch/index.js';

/** How disks are given to QEMU: -blockdev + -device, or -drive if=none without or with unit=. */
export const driveSyntaxes = ['blockdev', 'legacy', 'legacy-unit'] as const;
export type DriveSyntax = (typeof driveSyntaxes)[number];

export const accelerators = ['tcg', 'kvm'] as const;
export type Accel = (typeof accelerators)[number];
export const diskBackends = ['file', 'null-co'] as const;

/** A guest's extra environment for its QEMU (a case's `env:`, case/env.ts), e.g. MALLOC_ARENA_MAX=1. */
export const guestEnvRecordSchema = z.record(z.string(), z.string());
export type GuestEnv = z.infer<typeof guestEnvRecordSchema>;

/** A fleet's live migration as the case asked for it (case/migrate.ts has its rules and defaults). */
export const migrateParamsSchema = z.object({
  /** The range every destination takes its TCP port from, as libvirt's allocator does. */
  ports: z.object({ from: z.number(), count: z.number() }),
  /** From the moment all migrations start: one still going then is cancelled. */
  timeoutS: z.number(),
  /** Each migration's bandwidth cap, MiB/s; absent: QEMU's default. */
  maxBandwidthMiBs: z.number().optional(),
});
export type MigrateParams = z.infer<typeof migrateParamsSchema>;

/**
 * One parameter point: everything that decides how a guest is booted, apart from the QEMU
 * binary. Fields added after the first journals were written are optional, and absent means
 * what those journals' trials did.
 */
export const trialParamsSchema = z.object({
  arch: z.enum(archNames),
  accel: z.enum(accelerators),
  /** QEMU's -M; absent: the arch's default machine. */
  machine: z.string().optional(),
  cpus: z.number(),
  memoryMiB: z.number(),
  disks: z.number(),
  drives: z.enum(driveSyntaxes),
  queues: z.number(),
  diskBackend: z.enum(diskBackends),
  diskSizeMiB: z.number(),
  /** QEMU processes per trial; absent in journals written before guests existed (= 1). */
  guests: z.number().optional(),
  /** How many guests may be starting at once; absent: the host's CPU count. */
  guestStarts: z.number().optional(),
  /** Seconds the whole fleet stays up, idle, once every guest is ready. */
  holdS: z.number().optional(),
  iothreads: z.number().optional(),
  irqchip: z.enum(irqchipModes).optional(),
  /** Every guest is live-migrated once the fleet is up. */
  migrate: migrateParamsSchema.optional(),
  /** Extra environment of each QEMU; absent when the case gives none. */
  env: guestEnvRecordSchema.optional(),
  /** Pty consoles per guest; absent for none. */
  ptys: z.number().optional(),
  /** virtio-net devices per guest; absent: none (and in journals written before NICs existed). */
  nics: z.number().optional(),
  /** The trial ends once QEMU's init is done, the guest never started; absent: at ready. */
  until: z.literal('qemu-init').optional(),
});
export type TrialParams = z.infer<typeof trialParamsSchema>;
