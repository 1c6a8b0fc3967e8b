import type { VariantRecord } from '../record/variant.js';

/** A variant ready to boot: the binary to run and the record every Observation carries. */
export interface ResolvedVariant {
  record: VariantRecord;
  binary: string;
  /** -L directory for firmware; built QEMUs carry no blobs of their own. */
  dataDir: string | undefined;
}
