/** What every Observation records of the QEMU it ran. */
export interface VariantRecord {
  name: string;
  buildKey: string;
  series: string[];
  binary: string;
  binarySha256: string;
  qemuVersion: string;
}

/** A variant ready to boot: the binary to run and the record every Observation carries. */
export interface ResolvedVariant {
  record: VariantRecord;
  binary: string;
  /** -L directory for firmware; built QEMUs carry no blobs of their own. */
  dataDir: string | undefined;
}
