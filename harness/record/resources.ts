import { z } from 'zod';

const peak = z.number().nullable();

/**
 * The most QEMU held while sampled (measure/resources.ts): for one process its own peak, for a
 * fleet the peak of all its QEMUs' sum at one sample. null: never sampled.
 */
export const resourcePeaksSchema = z.object({
  rssPeakKiB: peak,
  fdsPeak: peak,
  threadsPeak: peak,
  /**
   * Address space (measure/address-space.ts), absent in journals written before it was
   * measured: VmPeak for one process (the kernel's own peak), the peak of summed VmSize for a
   * fleet; KiB strict overcommit would charge (private writable mappings); glibc arena heaps.
   */
  vmPeakKiB: peak.optional(),
  committedPeakKiB: peak.optional(),
  mallocArenasPeak: peak.optional(),
});
export type ResourcePeaks = z.infer<typeof resourcePeaksSchema>;
