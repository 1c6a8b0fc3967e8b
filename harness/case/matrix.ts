import { createRng } from '../analyze/prng.js';
import { inputError } from '../core/errors.js';
import { seedFromText, shuffled } from '../core/random.js';
import { defaultTimeouts, type PhaseTimeouts } from './defaults.js';
import { pointLabel } from './point.js';
import { repetitionRange, variantName, type CaseSpec, type LoadedCase } from './schema.js';
import { sweepableParams, sweptTrialParams, type SweptParam, type SweptPoint } from './sweep.js';
import type { TrialParams } from '../record/params.js';

export interface Trial {
  /** Stable across runs of the same case: `case/variant/point/rN` (warm-ups: `wN`). */
  trialId: string;
  case: string;
  variant: string;
  /** Human-readable point key, e.g. `disks=8 drives=blockdev`: what varies in the case. */
  point: string;
  params: TrialParams;
  rep: number;
  warmup: boolean;
  /** Position in the run's shuffled order, from 0. */
  order: number;
  timeouts: PhaseTimeouts;
}

export interface Plan {
  seed: number;
  trials: Trial[];
}

function asList<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

/** The values each sweepable parameter takes in a case (one value: not swept; [undefined]: left out). */
function sweptValues(s: CaseSpec): Record<SweptParam, unknown[]> {
  return Object.fromEntries(sweepableParams.map((name) => [name, asList<unknown>(s[name])])) as Record<SweptParam, unknown[]>;
}

/** The parameters a case sweeps (more than one value), in the order its point labels list them. */
export function caseSweep(spec: CaseSpec): SweptParam[] {
  const swept = sweptValues(spec);
  return sweepableParams.filter((k) => swept[k].length > 1);
}

/** Every combination of the swept parameters of one case, in file order. */
export function casePoints(c: LoadedCase): { point: string; params: TrialParams }[] {
  const s = c.spec;
  const swept = sweptValues(s);
  const varying = caseSweep(s);
  let combos: Record<string, unknown>[] = [{}];
  for (const name of sweepableParams) {
    combos = combos.flatMap((combo) => swept[name].map((v) => ({ ...combo, [name]: v })));
  }
  return combos.map((combo) => {
    const params: TrialParams = {
      arch: s.arch,
      accel: s.accel,
      machine: s.machine,
      cpus: s.cpus,
      diskBackend: s.disk.backend,
      diskSizeMiB: s.disk.sizeMiB,
      iothreads: s.iothreads,
      ...sweptTrialParams(combo as SweptPoint, swept),
      // Absent rather than undefined: params are compared with journals, where undefined vanishes.
      ...(s.guestStarts !== undefined ? { guestStarts: s.guestStarts } : {}),
      ...(s.holdS > 0 ? { holdS: s.holdS } : {}),
      ...(s.migrate ? { migrate: s.migrate } : {}),
      ...(s.ptys > 0 ? { ptys: s.ptys } : {}),
      ...(s.until === 'qemu-init' ? { until: s.until } : {}),
    };
    return { point: pointLabel(params, varying), params };
  });
}

/** What is repeated: one variant at one point of one case. */
export interface TrialUnit {
  case: LoadedCase;
  variant: string;
  point: string;
  params: TrialParams;
}

/** Every (variant, point) of a case, points in file order, variants in case order within each. */
export function caseUnits(c: LoadedCase): TrialUnit[] {
  return casePoints(c).flatMap(({ point, params }) => c.spec.variants.map(variantName).map((variant) => ({ case: c, variant, point, params })));
}

/** The key of a unit: the trial id without its repetition. */
export function unitKey(caseName: string, variant: string, point: string): string {
  return `${caseName}/${variant}/${point.replaceAll(' ', ',')}`;
}

/**
 * Stable across runs of the same case, and across a resume: `case/variant/point/rN` for the
 * (N+1)th counted repetition, `.../wN` for warm-ups. Adaptive repetitions continue the count.
 */
export function trialId(unit: { case: { name: string }; variant: string; point: string }, rep: number, warmup: boolean): string {
  return `${unitKey(unit.case.name, unit.variant, unit.point)}/${warmup ? 'w' : 'r'}${rep}`;
}

function makeTrial(unit: TrialUnit, rep: number, warmup: boolean): Omit<Trial, 'order'> {
  const { case: c, variant, point, params } = unit;
  const timeouts = { ...defaultTimeouts(params.disks, params.drives, params.guests, params.nics), ...definedOnly(c.spec.timeouts) };
  return { trialId: trialId(unit, rep, warmup), case: c.name, variant, point, params, rep, warmup, timeouts };
}

/**
 * Trials of all cases, interleaved: each repetition is one block holding every (variant, point)
 * once, shuffled with the seed. Drift on a noisy host then spreads evenly over variants instead
 * of favouring whichever ran first. Warm-up blocks come first and are recorded but not counted.
 * With adaptive repetitions this is the plan up to `min`; `extendPlan` adds to it.
 */
export function planTrials(cases: LoadedCase[], seedOverride?: number): Plan {
  assertDistinctCases(cases);
  const seed = seedOverride ?? cases[0]?.spec.seed ?? seedFromText(cases.map((c) => c.sha256 || c.name).join(','));
  const rng = createRng(seed);
  const random = () => rng.next();
  const trials: Trial[] = [];
  const blocks = Math.max(...cases.map((c) => c.spec.warmup + repetitionRange(c.spec).min));
  for (let b = 0; b < blocks; b++) {
    const block: Omit<Trial, 'order'>[] = [];
    for (const c of cases) {
      const warmup = b < c.spec.warmup;
      const rep = warmup ? b : b - c.spec.warmup;
      if (!warmup && rep >= repetitionRange(c.spec).min) continue;
      for (const unit of caseUnits(c)) block.push(makeTrial(unit, rep, warmup));
    }
    for (const t of shuffled(block, random)) trials.push({ ...t, order: trials.length });
  }
  return { seed, trials };
}

/** A unit to be repeated until it has `reps` counted repetitions. */
export interface Extension {
  unit: TrialUnit;
  reps: number;
}

/**
 * Appends repetitions to a plan (adaptive repetition), interleaved like the plan itself: block
 * k holds every unit still short of its target once, shuffled. The shuffle's seed derives from
 * the plan's seed and length, so a resumed run that reaches the same point extends the plan
 * the same way. Returns the plan with the new trials; the input is not changed.
 */
export function extendPlan(plan: Plan, extensions: Extension[]): Plan {
  const have = new Map<string, number>();
  for (const t of plan.trials) {
    if (t.warmup) continue;
    const key = unitKey(t.case, t.variant, t.point);
    have.set(key, Math.max(have.get(key) ?? 0, t.rep + 1));
  }
  const rng = createRng(seedFromText(`${plan.seed}/extend/${plan.trials.length}`));
  const random = () => rng.next();
  const trials = [...plan.trials];
  for (let k = 0; ; k++) {
    const block = extensions
      .map(({ unit, reps }) => ({ unit, rep: (have.get(unitKey(unit.case.name, unit.variant, unit.point)) ?? 0) + k, reps }))
      .filter(({ rep, reps }) => rep < reps)
      .map(({ unit, rep }) => makeTrial(unit, rep, false));
    if (block.length === 0) break;
    for (const t of shuffled(block, random)) trials.push({ ...t, order: trials.length });
  }
  return { seed: plan.seed, trials };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** One part of a run split across machines: `index` counts from 1, as `--shard 2/3` says it. */
export interface Shard {
  index: number;
  count: number;
}

export function shardLabel(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/**
 * Adaptive repetitions decide from every trial of a pair; a shard sees only part of them, so
 * shards of one case would each grow it differently. Sharded cases need a fixed count.
 */
export function assertShardable(cases: LoadedCase[], what = '--shard'): void {
  for (const c of cases) {
    const r = c.spec.repetitions;
    if (typeof r === 'object') {
      throw inputError(
        `${c.file}: repetitions: {min: ${r.min}, max: ${r.max}} is adaptive, which ${what} cannot split (each shard would decide on part of the trials); give a fixed number, e.g. repetitions: ${r.max}`,
      );
    }
  }
}

/**
 * The trials of one shard. Every trial lands in exactly one of the `count` shards, and each
 * shard stays a small interleaved run: repetition block r of a case deals its units (in the
 * case's own order, not the shuffled one) round-robin to the shards, continuing where block
 * r-1 stopped, and shifted by one more whenever that plain deal would send a unit back to a
 * shard it already had. So shards get equal numbers of trials (within one or two per case), a unit's
 * repetitions visit every shard in turn, and each shard measures every variant rather than
 * one machine measuring `system` and another `upstream` (host differences would then read as
 * a patch's effect). Trials keep their plan order and `order`, so merged shards sort back into
 * the one-machine order.
 */
export function selectShard(plan: Plan, cases: LoadedCase[], shard: Shard): Plan {
  const shardOf = new Map<string, number>();
  let offset = 0;
  for (const c of cases) {
    const units = caseUnits(c);
    // After `period` blocks the plain deal repeats each unit's shard; then shift by one.
    const period = shard.count / gcd(units.length, shard.count);
    // Warm-ups are dealt on their own, so that the counted repetitions get the whole rotation.
    for (const [warmup, blocks] of [[true, c.spec.warmup], [false, repetitionRange(c.spec).min]] as const) {
      for (let rep = 0; rep < blocks; rep++) {
        units.forEach((unit, u) => {
          shardOf.set(trialId(unit, rep, warmup), (offset + rep * units.length + u + Math.floor(rep / period)) % shard.count);
        });
      }
      offset += blocks * units.length;
    }
  }
  return { seed: plan.seed, trials: plan.trials.filter((t) => shardOf.get(t.trialId) === shard.index - 1) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * A run names its cases by file name, and every trial id, journal line and chart starts with
 * that name: two cases of one name would share trial ids, so one would never run and the
 * report would mix them. Refused wherever a plan is made (run, resume, merge, talk, pipeline).
 */
export function assertDistinctCases(cases: readonly { name: string; file: string }[]): void {
  const seen = new Map<string, string>();
  for (const c of cases) {
    const before = seen.get(c.name);
    if (before === undefined) {
      seen.set(c.name, c.file);
      continue;
    }
    throw inputError(
      before === c.file
        ? `${c.file}: given twice; a run holds each case once (use repetitions: for more trials)`
        : `${before} and ${c.file} are both named "${c.name}": a run names its cases by file name, so one would overwrite the other's trials; rename one`,
    );
  }
}
