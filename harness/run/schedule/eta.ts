import { unitKey, type Trial } from '../../case/matrix.js';

/**
 * How long the trials still to run will take, learnt from those that ran. A unit (variant at a
 * point) that ran is expected to take its own mean again; one not yet run, its case's and
 * variant's mean per disk times its disks, all guests' together (start-up grows at least
 * linearly with the disks); with nothing of that case and variant run yet, the run's mean
 * trial. The plan interleaves every unit in each block of repetitions, so after the first block
 * every unit speaks for itself: a mean over all trials would let a 3 s trial at 250 disks
 * predict a 200 s one at 1000. Per case, because one variant's cost per disk is not another
 * case's: 96 migrating guests of one disk each would otherwise make a 1024-disk guest of the
 * same `system` variant take hours.
 */
export class Eta {
  private readonly byUnit = new Map<string, Mean>();
  /** Milliseconds per disk, per case and variant. */
  private readonly byCaseVariant = new Map<string, Mean>();
  private readonly all: Mean = { sum: 0, n: 0 };

  record(trial: Trial, ms: number): void {
    addTo(this.byUnit, unitOf(trial), ms);
    addTo(this.byCaseVariant, caseVariantOf(trial), ms / disksOf(trial));
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
    const perDisk = this.byCaseVariant.get(caseVariantOf(t));
    return perDisk ? mean(perDisk) * disksOf(t) : mean(this.all);
  }
}

interface Mean {
  sum: number;
  n: number;
}

const mean = (m: Mean) => m.sum / m.n;
const unitOf = (t: Trial) => unitKey(t.case, t.variant, t.point);
const caseVariantOf = (t: Trial) => `${t.case}\u0000${t.variant}`;
/** Every guest's disks: a fleet of 16 guests of 1024 disks probes 16384. */
const disksOf = (t: Trial) => t.params.disks * (t.params.guests ?? 1);

function addTo(means: Map<string, Mean>, key: string, x: number): void {
  const m = means.get(key) ?? { sum: 0, n: 0 };
  m.sum += x;
  m.n++;
  means.set(key, m);
}
