import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultCompareOptions } from '../compare/compare.js';
import { loadRun } from '../compare/load.js';
import { writeAtomic } from '../core/files.js';
import { readManifest } from '../journal/run-dir.js';
import { claimResults, type ClaimResult } from './claim-results.js';
import type { ClaimsFile } from './claims.js';
import { talkMarkdown } from './talk-report.js';

export const talkFile = 'talk.md';

/**
 * Writes <run>/talk.md from the run's journal and the charts its report holds: the claims are
 * judged with the run's own statistics rule (threshold, alpha), like its report's tables.
 */
export async function writeTalk(runDir: string, claims: ClaimsFile, warn: (line: string) => void): Promise<{ file: string; results: ClaimResult[] }> {
  const run = await loadRun(runDir, runDir, warn);
  const manifest = await readManifest(runDir);
  const rule = { ...defaultCompareOptions, ...manifest.adaptive };
  const results = claimResults(claims, run.observations, { threshold: rule.threshold, alpha: rule.alpha });
  const file = join(runDir, talkFile);
  await writeAtomic(file, talkMarkdown(claims, results, run.observations, await chartFiles(runDir)));
  return { file, results };
}

/** Chart id → its PNG, relative to the run directory; none when the report was not written. */
async function chartFiles(runDir: string): Promise<Map<string, string>> {
  const names = await readdir(join(runDir, 'report')).catch(() => [] as string[]);
  return new Map(names.filter((n) => n.endsWith('.png') && !n.endsWith('-talk.png')).map((n) => [n.slice(0, -'.png'.length), `report/${n}`]));
}
