/**
 * What guests cost the host, measured: each resource as (per guest) + (per disk) × disks, for
 * every guest alive. Fitted from fleets, because a fleet's summed peak is what a host pays
 * (one QEMU alone hides what is shared, e.g. page cache of the one binary) and a held guest's
 * CPU is what an idle guest costs.
 */
export interface FleetSample {
  guests: number;
  disks: number;
  /** Host peaks over all QEMUs of the fleet at once. */
  memoryMiB: number;
  fds: number;
  threads: number;
  /** What strict overcommit charges (measure/address-space.ts), MiB; NaN where not measured. */
  committedMiB: number;
  /** Mean CPUs one held (idle) guest used; null when no guest held for long enough. */
  idleCpu: number | null;
}

export interface Cost {
  perGuest: number;
  perDisk: number;
}

export type Resource = 'memoryMiB' | 'fds' | 'threads' | 'idleCpu' | 'committedMiB';
export const resources: Resource[] = ['memoryMiB', 'fds', 'threads', 'idleCpu', 'committedMiB'];

export type CostModel = Record<Resource, Cost>;

/**
 * Per-guest and per-disk costs from three fleets: (g1, d1), (g2, d1) with g2 > g1, and (g1, d2)
 * with d2 > d1. The per-guest cost is the marginal one between the two fleet sizes, not an
 * average that would charge every guest a share of whatever the host already had; the per-disk
 * cost is the growth per guest between the two disk counts. A negative slope (noise on a figure
 * that does not grow) is a cost of zero.
 */
export function fitCostModel(samples: FleetSample[]): CostModel {
  const [a, b, c] = designOf(samples);
  const cost = (r: Resource): Cost => {
    const at = (s: FleetSample) => (r === 'idleCpu' ? (s.idleCpu ?? 0) * s.guests : s[r]);
    const perDisk = Math.max(0, (at(c) / c.guests - at(a) / a.guests) / (c.disks - a.disks));
    const marginalGuest = (at(b) - at(a)) / (b.guests - a.guests);
    return { perGuest: Math.max(0, marginalGuest - perDisk * a.disks), perDisk };
  };
  return Object.fromEntries(resources.map((r) => [r, cost(r)])) as CostModel;
}

/** One guest's cost at a disk count. */
export function costAt(model: CostModel, r: Resource, disks: number): number {
  return model[r].perGuest + model[r].perDisk * disks;
}

/**
 * The sweep that fitCostModel needs: the small fleet, the larger fleet, more disks. The disk
 * step is at least 56 even for a case of few disks: a per-disk cost measured over one or two
 * disks is noise (4 → 5 disks gave 0.0075 idle CPUs per disk, ten times the real figure).
 */
export function sweepDesign(disks: number): { guests: number; disks: number }[] {
  const small = Math.min(disks, 8);
  const large = Math.max(64, Math.min(disks, 256));
  return [
    { guests: 2, disks: small },
    { guests: 4, disks: small },
    { guests: 2, disks: large },
  ];
}

function designOf(samples: FleetSample[]): [FleetSample, FleetSample, FleetSample] {
  const [a, b, c] = samples;
  if (!a || !b || !c || b.disks !== a.disks || b.guests <= a.guests || c.guests !== a.guests || c.disks <= a.disks) {
    throw new Error('the cost model needs fleets (g, d), (g2 > g, d), (g, d2 > d), in that order');
  }
  return [a, b, c];
}
