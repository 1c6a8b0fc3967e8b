import { z } from 'zod';

/**
 * `migrate:` in a case: once every guest of the fleet is up, live-migrate all of them at once
 * to a second QEMU each on this host, over TCP on 127.0.0.1, each taking its port from one
 * range as libvirt does (run/trial/migration/). libvirt's default range is 49152-49215: 64 ports,
 * which the 2015 talk ran out of with more than 64 guests migrating together.
 */
export const libvirtMigrationPorts = { from: 49152, count: 64 } as const;

export const migrateSchema = z
  .strictObject({
    ports: z
      .strictObject({
        from: z.number().int('must be a whole number').min(1024, 'must be at least 1024 (no privileged ports)').max(65535, 'must be at most 65535').default(libvirtMigrationPorts.from),
        count: z.number().int('must be a whole number').positive('must be at least 1').max(64512, 'at most 64512 ports').default(libvirtMigrationPorts.count),
      })
      .prefault({}),
    /** From the moment all migrations start: a migration still going then is cancelled. */
    timeoutS: z.number().positive('must be more than 0 seconds').max(86400).default(300),
    /**
     * Each migration's bandwidth cap, MiB/s, as libvirt's `migrate --bandwidth` (QEMU's
     * max-bandwidth, set on the source before `migrate`); absent: QEMU's own default. A floor,
     * since QEMU takes a cap that comes to 0 bytes per window as no cap at all.
     */
    maxBandwidthMiBs: z
      .number()
      .positive({ message: 'must be more than 0 MiB/s', abort: true })
      .min(0.001, 'must be at least 0.001 MiB/s (about 1 KiB/s)')
      .max(1048576, 'at most 1048576 MiB/s (1 TiB/s)')
      .optional(),
  })
  .superRefine((m, ctx) => {
    const last = m.ports.from + m.ports.count - 1;
    if (last > 65535) ctx.addIssue({ code: 'custom', path: ['ports', 'count'], message: `the range would end at port ${last}, past 65535` });
  });

export type MigrateSpec = z.output<typeof migrateSchema>;
