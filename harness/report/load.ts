import { basename, resolve } from 'node:path';
import { loadRun } from '../compare/load.js';
import type { RunData } from '../compare/compare.js';
import { readManifest, type RunManifest } from '../journal/run-dir.js';

/** A run directory as the report reads it: the manifest for metadata, the trials for numbers. */
export interface ReportRun {
  dir: string;
  manifest: RunManifest;
  data: RunData;
}

/** Reads through the compare module's loader, so report and `emuflock compare` see the same trials. */
export async function loadReportRun(runDir: string, warn: (line: string) => void): Promise<ReportRun> {
  const dir = resolve(runDir);
  const manifest = await readManifest(dir);
  const data = await loadRun(dir, basename(dir), warn);
  return { dir, manifest, data };
}
