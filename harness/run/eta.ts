import { unitKey, type Trial } from '../case/matrix.js';

/**
 * How long the trials still to run will take, learnt from those that ran. A unit (variant at a
 * point) that ran is expected to take its own mean again; one not yet run, its variant's mean
 * per disk times its disks (start-up grows at least linearly with the disks); with nothing of
 * its variant run yet, the run's mean trial. The plan interleaves every unit in each block of
 * repetitions, so after the first block every unit speaks for itself: a mean over all trials
 * would let a 3 s trial at 250 disks predict a 200 s one at 1000.
 */
export class Eta {
  private readonly byUnit = new Map<string, Mean>();
  /** Milliseconds per disk. */
  private readonly byVariant = new Map<string, Mean>();
  private readonly all: Mean = { sum: 0, n: 0 };

  record(trial: Trial, ms: number): void {
    addTo(this.byUnit, unitOf(trial), ms);
    addTo(this.byVariant, trial.variant, ms / trial.params.disks);
    this.all.sum += ms;
    this.all.n++;
  }

  /** Milliseconds for these trials; undefined before any trial has run. */
  remainingMs(trials: readonly Trial[]): number | undefined {
    if (this.all.n === 0) return undefined;
    return trials.reduce((sum, t) => sum + this.expectedMs(t), 0);
  }

  private expectedMs(t: Trial): number {
    const unit = this.byUnit.get(unitOf(t));
    if (unit) return mean(unit);
    const perDisk = this.byVariant.get(t.variant);
    return perDisk ? mean(perDisk) * t.params.disks : mean(this.all);
  }
}

interface Mean {
  sum: number;
  n: number;
}

const mean = (m: Mean) => m.sum / m.n;
const unitOf = (t: Trial) => unitKey(t.case, t.variant, t.point);

function addTo(means: Map<string, Mean>, key: string, x: number): void {
  const m = means.get(key) ?? { sum: 0, n: 0 };
  m.sum += x;
  m.n++;
  means.set(key, m);
}
