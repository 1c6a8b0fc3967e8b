import { createRng } from '../analyze/prng.js';
import { seedFromText, shuffled } from '../random.js';
import { defaultMemoryMiB, defaultTimeouts, type PhaseTimeouts } from './defaults.js';
import { variantName, type DriveSyntax, type LoadedCase } from './schema.js';

/** One parameter point: everything that decides how a guest is booted, apart from the QEMU binary. */
export interface TrialParams {
  arch: string;
  accel: 'tcg' | 'kvm';
  machine: string | undefined;
  cpus: number;
  memoryMiB: number;
  disks: number;
  drives: DriveSyntax;
  queues: number;
  diskBackend: 'file' | 'null-co';
  diskSizeMiB: number;
}

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

/** Every combination of the swept parameters of one case, in file order. */
export function casePoints(c: LoadedCase): { point: string; params: TrialParams }[] {
  const s = c.spec;
  const swept: Record<string, unknown[]> = {
    disks: asList(s.disks),
    drives: asList(s.drives),
    queues: asList(s.queues),
    memoryMiB: s.memoryMiB === undefined ? [undefined] : asList(s.memoryMiB),
  };
  const varying = Object.keys(swept).filter((k) => swept[k]!.length > 1);
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(swept)) {
    combos = combos.flatMap((combo) => values.map((v) => ({ ...combo, [key]: v })));
  }
  return combos.map((combo) => {
    const disks = combo.disks as number;
    const params: TrialParams = {
      arch: s.arch,
      accel: s.accel,
      machine: s.machine,
      cpus: s.cpus,
      memoryMiB: (combo.memoryMiB as number | undefined) ?? defaultMemoryMiB(disks),
      disks,
      drives: combo.drives as DriveSyntax,
      queues: combo.queues as number,
      diskBackend: s.disk.backend,
      diskSizeMiB: s.disk.sizeMiB,
    };
    const keys = varying.length > 0 ? varying : ['disks'];
    return { point: keys.map((k) => `${k}=${String(combo[k])}`).join(' '), params };
  });
}

/**
 * Trials of all cases, interleaved: each repetition is one block holding every (variant, point)
 * once, shuffled with the seed. Drift on a noisy host then spreads evenly over variants instead
 * of favouring whichever ran first. Warm-up blocks come first and are recorded but not counted.
 */
export function planTrials(cases: LoadedCase[], seedOverride?: number): Plan {
  const seed = seedOverride ?? cases[0]?.spec.seed ?? seedFromText(cases.map((c) => c.sha256 || c.name).join(','));
  const rng = createRng(seed);
  const random = () => rng.next();
  const trials: Trial[] = [];
  const blocks = Math.max(...cases.map((c) => c.spec.warmup + c.spec.repetitions));
  for (let b = 0; b < blocks; b++) {
    const block: Omit<Trial, 'order'>[] = [];
    for (const c of cases) {
      const warmup = b < c.spec.warmup;
      const rep = warmup ? b : b - c.spec.warmup;
      if (!warmup && rep >= c.spec.repetitions) continue;
      for (const { point, params } of casePoints(c)) {
        for (const variant of c.spec.variants.map(variantName)) {
          const timeouts = { ...defaultTimeouts(params.disks, params.drives), ...definedOnly(c.spec.timeouts) };
          const id = `${c.name}/${variant}/${point.replaceAll(' ', ',')}/${warmup ? 'w' : 'r'}${rep}`;
          block.push({ trialId: id, case: c.name, variant, point, params, rep, warmup, timeouts });
        }
      }
    }
    for (const t of shuffled(block, random)) trials.push({ ...t, order: trials.length });
  }
  return { seed, trials };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
