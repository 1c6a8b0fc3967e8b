import { z } from 'zod';

/** What every Observation records of the QEMU it ran. */
export const variantRecordSchema = z.object({
  name: z.string().min(1),
  /** Same key, same binary (variants/build-key.ts); `system-<sha256 prefix>` for the distribution's QEMU. */
  buildKey: z.string(),
  series: z.array(z.string()),
  binary: z.string(),
  binarySha256: z.string(),
  qemuVersion: z.string(),
});
export type VariantRecord = z.infer<typeof variantRecordSchema>;
