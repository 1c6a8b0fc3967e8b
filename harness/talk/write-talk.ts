import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultCompareOptions } from '../compare/compare.js';
import { writeAtomic } from '../core/files.js';
import type { OpenedRun } from '../journal/opened-run.js';
import { claimResults, type ClaimResult } from './claim-results.js';
import type { ClaimsFile } from './claims.js';
import { talkMarkdown } from './talk-report.js';

export const talkFile = 'talk.md';

/**
 * Writes <run>/talk.md from the run's journal and the charts its report holds: the claims are
 * judged with the run's own statistics rule (threshold, alpha), like its report's tables.
 */
export async function writeTalk(run: OpenedRun, claims: ClaimsFile): Promise<{ file: string; results: ClaimResult[] }> {
  const rule = { ...defaultCompareOptions, ...run.manifest.adaptive };
  const results = claimResults(claims, run.observations, { threshold: rule.threshold, alpha: rule.alpha });
  const file = join(run.dir, talkFile);
  await writeAtomic(file, talkMarkdown(claims, results, run.observations, await chartFiles(run.dir)));
  return { file, results };
}

/** Chart id → its PNG, relative to the run directory; none when the report was not written. */
async function chartFiles(runDir: string): Promise<Map<string, string>> {
  const names = await readdir(join(runDir, 'report')).catch(() => [] as string[]);
  return new Map(names.filter((n) => n.endsWith('.png') && !n.endsWith('-talk.png')).map((n) => [n.slice(0, -'.png'.length), `report/${n}`]));
}
