import type { Trial } from '../../case/matrix.js';
import { defaultTimeouts } from '../../case/defaults.js';
import { runTrial, type TrialContext } from '../trial/trial.js';
import { sweepDesign, type FleetSample } from '../../limits/capacity/cost-model.js';
import type { Observation } from '../../record/observation.js';
import type { TrialParams } from '../../record/params.js';

export interface SweepResult {
  samples: FleetSample[];
  observations: Observation[];
}

/**
 * Long enough for a held guest's idle CPU to be more than a few clock ticks. Memory keeps
 * growing while guests stay up, so costs after this hold are a floor for long-lived guests.
 */
export const defaultSweepHoldS = 5;

/**
 * Boots the small fleets the cost model is fitted from, shaped like the case's guest (`base`:
 * its RAM, drives, queues, iothreads) but with fewer disks, so the sweep takes a minute where
 * the case itself may take an hour. Each fleet idles together for a few seconds once up, so
 * resources are sampled at rest and every guest's idle CPU is measured. Throws when a fleet
 * fails: a cost measured on a failed boot is no cost.
 */
export async function runCapacitySweep(base: TrialParams, ctx: TrialContext, log: (line: string) => void, holdS = defaultSweepHoldS): Promise<SweepResult> {
  const samples: FleetSample[] = [];
  const observations: Observation[] = [];
  for (const [order, { guests, disks }] of sweepDesign(base.disks).entries()) {
    const params: TrialParams = {
      ...base,
      guests,
      disks,
      guestStarts: Math.min(guests, base.guestStarts ?? ctx.host.cpus),
      holdS,
    };
    const point = `guests=${guests} disks=${disks}`;
    const trial: Trial = {
      trialId: `capacity/${ctx.variant.record.name}/${point.replace(' ', ',')}/r0`,
      case: 'capacity',
      variant: ctx.variant.record.name,
      point,
      params,
      rep: 0,
      warmup: false,
      order,
      timeouts: defaultTimeouts(disks, params.drives, guests),
    };
    log(`capacity sweep: ${guests} guests x ${disks} disks, held ${holdS} s`);
    const obs = await runTrial(trial, ctx);
    observations.push(obs);
    if (obs.outcome !== 'ok') throw new Error(`the capacity sweep's fleet of ${guests} x ${disks} disks ended ${obs.outcome}: ${obs.error?.message ?? ''}`);
    samples.push(sampleOf(obs));
  }
  return { samples, observations };
}

function sampleOf(obs: Observation): FleetSample {
  const held = (obs.guests ?? []).map((g) => g.heldCpu).filter((c): c is number => c !== undefined);
  return {
    guests: obs.params.guests ?? 1,
    disks: obs.params.disks,
    memoryMiB: (obs.resources.rssPeakKiB ?? NaN) / 1024,
    fds: obs.resources.fdsPeak ?? NaN,
    threads: obs.resources.threadsPeak ?? NaN,
    committedMiB: (obs.resources.committedPeakKiB ?? NaN) / 1024,
    idleCpu: held.length > 0 ? held.reduce((a, b) => a + b, 0) / held.length : null,
  };
}
