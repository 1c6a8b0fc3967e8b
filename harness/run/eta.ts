import type { Trial } from '../case/matrix.js';

/**
 * How long the trials still to run will take, learnt from those that ran. A unit (variant at a
 * point) that ran is expected to take its own mean again; one not yet run, its variant's mean
 * per disk times its disks (start-up grows at least linearly with the disks); with nothing of
 * its variant run yet, the run's mean trial. The plan interleaves every unit in each block of
 * repetitions, so after the first block every unit speaks for itself: a mean over all trials
 * would let a 3 s trial at 250 disks predict a 200 s one at 1000.
 */
export class Eta {
  private readonly byUnit = new Map<string, { ms: number; n: number }>();
  private readonly byVariant = new Map<string, { msPerDisk: number; n: number }>();
  private total = { ms: 0, n: 0 };

  record(trial: Trial, ms: number): void {
    add(this.byUnit, unitOf(trial), { ms, n: 1 }, (a, b) => ({ ms: a.ms + b.ms, n: a.n + b.n }));
    add(this.byVariant, trial.variant, { msPerDisk: ms / trial.params.disks, n: 1 }, (a, b) => ({ msPerDisk: a.msPerDisk + b.msPerDisk, n: a.n + b.n }));
    this.total = { ms: this.total.ms + ms, n: this.total.n + 1 };
  }

  /** Milliseconds for these trials; undefined before any trial has run. */
  remainingMs(trials: readonly Trial[]): number | undefined {
    if (this.total.n === 0) return undefined;
    return trials.reduce((sum, t) => sum + this.expectedMs(t), 0);
  }

  private expectedMs(t: Trial): number {
    const unit = this.byUnit.get(unitOf(t));
    if (unit) return unit.ms / unit.n;
    const variant = this.byVariant.get(t.variant);
    if (variant) return (variant.msPerDisk / variant.n) * t.params.disks;
    return this.total.ms / this.total.n;
  }
}

const unitOf = (t: Trial) => `${t.case}\u0000${t.variant}\u0000${t.point}`;

function add<K, V>(map: Map<K, V>, key: K, value: V, merge: (a: V, b: V) => V): void {
  const had = map.get(key);
  map.set(key, had ? merge(had, value) : value);
}
