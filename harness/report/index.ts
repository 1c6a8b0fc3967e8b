/**
 * `emuflock report`: regenerates results/<run-id>/report/ from journal.jsonl and run.json alone,
 * so a report can be remade after the fact, with other options, or by a newer emuflock.
 *
 *   const { dir, files, notes } = await writeReport(await openRun('results/20261126-051305-seed-drain'));
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inputError } from '../core/errors.js';
import { confinedPath } from '../core/confine.js';
import { fsError } from '../core/fs-error.js';
import type { OpenedRun } from '../journal/opened-run.js';
import type { ChartSpec } from './charts/chart.js';
import { chartsFor, noteLine } from './charts/index.js';
import type { CompareOptions } from './comparison.js';
import { buildDocument } from './document.js';
import { formats } from './formats/index.js';
import type { DocumentContext } from './formats/format.js';
import { checkReportDir, removeOrphans, reportMarker, stagingDir, swapIn } from './out-dir.js';
import { buildModel } from './model.js';
import { renderSvg } from './render.js';

export interface ReportOptions {
  /** Where the report goes; default `<runDir>/report`. Its previous content is replaced: it must be emuflock's own (out-dir.ts). */
  outDir?: string;
  /** Start-up chart on log-log axes (a power law becomes a straight line of slope k). */
  logLog?: boolean;
  /** Metric, threshold, alpha and baseline of the tables; default: the run's own adaptive rule. */
  compare?: Partial<CompareOptions>;
  /** Names of the formats to write (png, svg, markdown, html, junit); default all. */
  formats?: string[];
}

export interface ReportResult {
  /** The report directory. */
  dir: string;
  /** Every file written, absolute paths, in the order written. */
  files: string[];
  /** What the report left out and why (skipped charts), for the command's output. */
  /** Why a chart is missing, one line each, its case first. */
  notes: string[];
}

/**
 * Writes a document's formats into `dir`, replacing what was there: written beside the old
 * report and swapped in at the end, so a failed or interrupted report leaves the previous one
 * whole and a chart that is no longer drawn does not linger. The caller has checked `dir`
 * (out-dir.ts checkReportDir). Returns the names written.
 */
export async function writeDocumentFiles<C extends Omit<DocumentContext, 'svg' | 'writeFile'>>(
  dir: string,
  marker: string,
  content: C,
  chosen: readonly { write(ctx: C & Pick<DocumentContext, 'svg' | 'writeFile'>): Promise<string[]> }[],
  /** The option that named `dir`, for a filesystem error's message (`--out`), if one did. */
  outFlag?: string,
): Promise<string[]> {
  await removeOrphans(dir);
  const staging = stagingDir(dir);
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, reportMarker), `${marker}\n`);
  } catch (e) {
    throw fsError(e, dir, outFlag);
  }
  const svgs = new Map<string, string>();
  const ctx = {
    ...content,
    svg: (chart: ChartSpec) => {
      if (!svgs.has(chart.id)) svgs.set(chart.id, renderSvg(chart));
      return svgs.get(chart.id)!;
    },
    // A chart's file name holds its case's name: one file directly in the report, whatever the name.
    writeFile: (name: string, data: string | Buffer) => writeFile(confinedPath(staging, name, 'report file'), data),
  };
  const written: string[] = [];
  try {
    for (const f of chosen) written.push(...(await f.write(ctx)));
    await swapIn(staging, dir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
    throw fsError(err, dir, outFlag);
  }
  return written;
}

export async function writeReport(run: OpenedRun, opts: ReportOptions = {}): Promise<ReportResult> {
  const chosen = opts.formats ? formats.filter((f) => opts.formats!.includes(f.name)) : formats;
  const unknown = (opts.formats ?? []).filter((n) => !formats.some((f) => f.name === n));
  if (unknown.length > 0) throw inputError(`unknown report format ${unknown.join(', ')} (known: ${formats.map((f) => f.name).join(', ')})`);

  const model = buildModel(run, { ...run.manifest.adaptive, ...opts.compare });
  const { charts, notes } = chartsFor(model, { logLog: opts.logLog ?? false });
  const document = buildDocument(model, charts, notes);

  const dir = resolve(opts.outDir ?? join(run.dir, 'report'));
  await checkReportDir(dir, run.dir, opts.outDir ? '--out' : 'the run\'s report folder');
  const written = await writeDocumentFiles(dir, `report of ${run.manifest.runId}`, { document, charts, model }, chosen, opts.outDir ? '--out' : undefined);
  return { dir, files: written.map((name) => join(dir, name)), notes: notes.map(noteLine) };
}
