/**
 * Whether the bug a fix series is for is still there in a QEMU source: the source as it is
 * against the same source with the series, booted alternately at the point where the series
 * shows (patches/<series>/shows.yaml: a case without variants, and the phase or exact count the
 * fix changes), the verdict as review/effect-verdict.ts gives it. A point that needs KVM where
 * /dev/kvm is absent is not measurable here.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { parseCase } from '../case/load.js';
import { caseSweep } from '../case/matrix.js';
import { EmuflockError, inputError } from '../core/errors.js';
import { displayPath, parseYaml } from '../core/yaml-input.js';
import { kvmDevice } from '../measure/irq/route-limit.js';
import { irqCountNames } from '../record/counts.js';
import { phaseLabel, phaseNames } from '../record/phases.js';
import { runCases } from '../run/schedule/runner.js';
import type { SeriesMatrix } from '../variants/series-matrix.js';
import { fixedUpstreamSentence } from '../variants/series.js';
import { effectVerdict, isCountMetric, type EffectMetric, type EffectVerdict } from './effect-verdict.js';

export const showsFileName = 'shows.yaml';

const showsSchema = z.strictObject({
  /** Why this point: what the bug costs there, in a sentence. */
  description: z.string().min(1),
  /** The phase the fix changes (a PhaseName), or the exact count (an IrqCountName). */
  metric: z.enum([...irqCountNames, ...phaseNames] as [EffectMetric, ...EffectMetric[]]),
  /** A case without variants: arch, accel, disks, drives, until, repetitions ... */
  case: z.record(z.string(), z.unknown()),
});

export interface ShowsAt {
  file: string;
  description: string;
  metric: EffectMetric;
  case: Record<string, unknown>;
}

/** The series' measuring point, or undefined when its folder has no shows.yaml. */
export async function readShows(seriesDir: string): Promise<ShowsAt | undefined> {
  const file = join(seriesDir, showsFileName);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = parseYaml(text, displayPath(file), showsSchema, `${showsFileName} is a mapping: description, metric, case`) as z.infer<typeof showsSchema>;
  if ('variants' in parsed.case) throw inputError(`${displayPath(file)}: case: variants: the two variants are the source as it is and with the series; leave them out`);
  // Checked as a case now, not after other series have been built and booted.
  const swept = caseSweep(parseCase(stringify({ ...parsed.case, variants: ['system'] }), file).spec);
  // One point: the two sides are compared as one sample each.
  if (swept.length > 0) throw inputError(`${displayPath(file)}: case: ${swept.join(', ')}: one point only (a single value each), where the bug shows`);
  return { file, ...parsed };
}

/** The verdict, or why nothing was measured, and the run that measured it. */
export interface SeriesEffect extends EffectVerdict {
  runDir?: string;
}

export interface EffectOptions {
  resultsRoot: string;
  threshold: number;
  alpha: number;
  log: (line: string) => void;
}

/** Boots `spec` as it is and with `series` at the series' point; the verdict of fixed against stock. */
export async function seriesEffect(series: string, spec: string, sourceId: string, shows: ShowsAt, opts: EffectOptions): Promise<SeriesEffect> {
  if (shows.case.accel === 'kvm' && !existsSync(kvmDevice)) return { status: 'not measurable', detail: `its point runs under KVM and this host has no ${kvmDevice}` };
  const dir = join(opts.resultsRoot, series, sourceId.replace(/[^A-Za-z0-9.+_-]/g, '_'));
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${series}.yaml`);
  const metric = shows.metric;
  // An exact count needs no spread: two trials a side show whether it is the same each boot.
  const adaptive = isCountMetric(metric) ? undefined : { metric, threshold: opts.threshold, alpha: opts.alpha };
  const text = stringify({
    description: `${series} on ${spec}: ${shows.description}`,
    repetitions: adaptive ? { min: 3, max: 10 } : 2,
    ...shows.case,
    variants: [
      { name: 'stock', description: `${spec} as it is`, source: spec, series: [] },
      { name: 'fixed', description: `${spec} with ${series}`, source: spec, series: [series] },
    ],
  });
  await writeFile(file, text);
  let run;
  try {
    run = await runCases([parseCase(text, file)], { resultsRoot: dir, argv: ['emuflock', 'run', file], adaptive, log: opts.log });
  } catch (e) {
    if (e instanceof EmuflockError && e.kind === 'build') return { status: 'does not build', detail: e.message.split('\n')[0]! };
    throw e;
  }
  const side = (variant: string) => run.observations.filter((o) => o.variant.name === variant);
  return { ...effectVerdict(side('stock'), side('fixed'), metric, opts), runDir: run.runDir };
}

/**
 * Each cell of a series matrix that applies, measured: `effects[row][column]`, undefined where
 * the series has no version, does not apply (nothing to build), or has no shows.yaml (nothing
 * says where its bug would show: a regression model).
 */
export async function matrixEffects(
  m: SeriesMatrix,
  seriesDir: (name: string) => string,
  opts: EffectOptions,
): Promise<{ effects: (SeriesEffect | undefined)[][]; withoutPoint: string[] }> {
  const effects: (SeriesEffect | undefined)[][] = [];
  const withoutPoint: string[] = [];
  for (const row of m.rows) {
    const shows = await readShows(seriesDir(row.series));
    if (!shows) withoutPoint.push(row.series);
    const cells: (SeriesEffect | undefined)[] = [];
    for (const [i, cell] of row.cells.entries()) {
      const source = m.sources[i]!;
      if (cell.status !== 'applies' || !shows) cells.push(undefined);
      else {
        const until = isCountMetric(shows.metric) ? `counting ${shows.metric}` : `until ${phaseLabel(shows.metric)} is decided`;
        opts.log(`${row.series} on ${source.label}: booting it as it is and with the series, alternately, ${until} (${displayPath(shows.file)})`);
        const effect = await seriesEffect(row.series, source.label, source.id, shows, opts);
        // What the measurement cannot say by itself: which upstream commit took the bug away.
        const fixedBy = effect.status === 'not seen' ? await fixedUpstreamSentence(seriesDir(row.series)) : undefined;
        cells.push(fixedBy ? { ...effect, detail: `${effect.detail}; README: ${fixedBy}` } : effect);
      }
    }
    effects.push(cells);
  }
  return { effects, withoutPoint };
}
