import { z } from 'zod';

const limit = z.number().nullable();

/** How many more ptys emuflock could open, and the limit that says so (measure/pty-room.ts). */
export const ptyRoomSchema = z.object({
  free: z.number(),
  by: z.enum(['kernel.pty.max', 'devpts max=']),
});
export type PtyRoom = z.infer<typeof ptyRoomSchema>;

/** The host's limits a trial can meet, as this process (and so QEMU) has them; null: unlimited or unreadable. */
export const hostLimitsSchema = z.object({
  nofileSoft: limit,
  nofileHard: limit,
  nprocSoft: limit,
  aioMaxNr: limit,
  aioNr: limit,
  fileMax: limit,
  ptyMax: limit,
  threadsMax: limit,
  pidMax: limit,
  maxMapCount: limit,
  /**
   * vm.overcommit_memory (2: strict), and /proc/meminfo's CommitLimit and Committed_AS, KiB:
   * under strict overcommit a new mapping fails once Committed_AS would pass CommitLimit.
   * Absent in old journals.
   */
  overcommitMemory: limit.optional(),
  commitLimitKiB: limit.optional(),
  committedAsKiB: limit.optional(),
  /** Absent in old journals. */
  ptyRoom: ptyRoomSchema.nullable().optional(),
  /**
   * KVM_CAP_IRQ_ROUTING on /dev/kvm: the most GSI routes (irqfd-capable interrupts) a VM may
   * have; null without KVM; absent in old journals.
   */
  kvmIrqRoutes: limit.optional(),
});
export type HostLimits = z.infer<typeof hostLimitsSchema>;

/** What a result depends on besides QEMU: recorded with every Observation. */
export const hostRecordSchema = z.object({
  hostname: z.string(),
  kernel: z.string(),
  /** Node's process.arch: x64, arm64, s390x. */
  arch: z.string(),
  cpus: z.number(),
  cpuModel: z.string(),
  memKiB: z.number(),
  memAvailableKiB: z.number().nullable(),
  limits: hostLimitsSchema,
  /** /dev/vhost-net exists: NIC taps get vhost=on (absent in records made before NICs existed). */
  vhostNet: z.boolean().optional(),
});
export type HostRecord = z.infer<typeof hostRecordSchema>;
