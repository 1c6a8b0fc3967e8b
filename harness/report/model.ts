/**
 * What every chart and table of a report is drawn from: per case, each variant at each point
 * with its counted trials and medians. Computed once, so the PNG, the SVG and the tables of
 * one report always show the same numbers.
 */
import { median, summarize, type SampleSummary } from '../analyze/index.js';
import { byCasePointVariant, groupTrials, sweptPerCase } from '../compare/groups.js';
import { restLabel } from '../case/point.js';
import type { SweptParam } from '../case/sweep.js';
import { compareForReport, type CompareOptions, type ReportComparison } from './comparison.js';
import type { OpenedRun } from '../journal/opened-run.js';
import { variantColours } from './palette.js';
import { setupLine } from './metadata.js';
import type { Reference } from '../case/reference.js';
import type { Observation } from '../record/observation.js';
import type { TrialParams } from '../record/params.js';
import { phaseNames, type PhaseName } from '../record/phases.js';

/** One variant at one point of one case. */
export interface VariantPoint {
  case: string;
  variant: string;
  point: string;
  /** The point without its disk count ("" when only disks vary): one line per variant and rest. */
  rest: string;
  disks: number;
  params: TrialParams;
  /** Counted trials (warm-ups dropped), failures included. */
  trials: Observation[];
  /** Trials that ended ok with a start-up time: the only ones a statistic uses. */
  used: Observation[];
  /** Start-up time (totalMs); null when no trial is usable. */
  total: SampleSummary | null;
  /** Median of each phase over `used`, ms. */
  phaseMedians: Record<PhaseName, number | null>;
}

export interface CaseModel {
  name: string;
  /** Case order: the first is the baseline of every comparison. */
  variants: string[];
  points: VariantPoint[];
  /** The parameters the case sweeps: a chart's axis takes some, its lines tell the rest apart. */
  swept: SweptParam[];
  disks: number[];
  rests: string[];
  /** What ran on what, for chart subtitles: QEMU versions, guest, accelerator, host CPUs. */
  setup: string;
  /** The case file's description, when this version can read the case text the run kept. */
  description: string | undefined;
  /** Published figures the case reproduces, shown beside its own. */
  references: Reference[];
  /**
   * Failed trials, one line per point: "left out: unfixed at 1000 disks: 2 of 3 trials timeout".
   * Said on every chart, because a median of the trials that survived a timeout is biased low.
   */
  leftOut: string[];
}

export interface ReportModel {
  run: OpenedRun;
  cases: CaseModel[];
  /** One colour per variant for the whole run. */
  colours: Map<string, string>;
  comparison: ReportComparison;
}

export function buildModel(run: OpenedRun, compare: Partial<CompareOptions> = {}): ReportModel {
  const { observations, variantOrder, cases: specs } = run;
  const groups = groupTrials(observations, byCasePointVariant, 'totalMs', variantOrder);
  const caseNames = [...new Set(groups.map((g) => g.case))];
  const sweptOf = sweptPerCase(observations, specs);
  const cases = caseNames.map((name): CaseModel => {
    const swept = sweptOf.get(name) ?? [];
    const points = groups
      .filter((g) => g.case === name)
      .map((g): VariantPoint => {
        const phaseMedians = Object.fromEntries(
          phaseNames.map((p) => {
            const xs = g.used.map((o) => o.phases[p]).filter((x): x is number => x !== null);
            return [p, xs.length > 0 ? median(xs) : null];
          }),
        ) as Record<PhaseName, number | null>;
        const times = g.used.map((o) => o.phases.totalMs!);
        return {
          case: g.case,
          variant: g.variant,
          point: g.point,
          rest: restLabel(g.params, swept, ['disks']),
          disks: g.params.disks,
          params: g.params,
          trials: g.all,
          used: g.used,
          total: times.length > 0 ? summarize(times) : null,
          phaseMedians,
        };
      });
    const inCase = observations.filter((o) => o.case === name && !o.warmup);
    return {
      name,
      variants: [...new Set([...(variantOrder.get(name) ?? []), ...points.map((p) => p.variant)])].filter((v) =>
        points.some((p) => p.variant === v),
      ),
      points,
      swept,
      disks: [...new Set(points.map((p) => p.disks))].sort((a, b) => a - b),
      rests: [...new Set(points.map((p) => p.rest))],
      setup: setupLine(inCase),
      description: specs.get(name)?.description?.trim(),
      references: specs.get(name)?.reference ?? [],
      leftOut: notPlotted(points),
    };
  });
  const allVariants = [...new Set(cases.flatMap((c) => c.variants))];
  return { run, cases, colours: variantColours(allVariants), comparison: compareForReport(run, compare) };
}

function notPlotted(points: readonly VariantPoint[]): string[] {
  const lines = points.flatMap((p) => {
    const failed = p.trials.filter((o) => !p.used.includes(o));
    if (failed.length === 0) return [];
    const why = [...new Set(failed.map((o) => (o.outcome === 'ok' ? 'no start-up time' : o.outcome)))].join(', ');
    return [`left out: ${p.variant} at ${p.point}, ${failed.length} of ${p.trials.length} trials failed (${why})`];
  });
  // A subtitle has room for a few lines; the report's tables list every one.
  return lines.length <= 3 ? lines : [...lines.slice(0, 2), `left out: failed trials at ${lines.length - 2} more points (see the report's tables)`];
}
