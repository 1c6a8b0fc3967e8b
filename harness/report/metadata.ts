import type { HostRecord } from '../record/host.js';
import type { Observation } from '../record/observation.js';
import { allEndedAtInit } from '../record/phases.js';
import type { VariantRecord } from '../record/variant.js';
/**
 * What a result depends on besides the patch under test, read back from the trials themselves
 * (not from the case), because that is what actually ran: a resumed run may have spanned two
 * hosts or two builds of one variant, and then the report must show both.
 */

export interface RunFacts {
  hosts: HostRecord[];
  variants: VariantRecord[];
  guestAssets: Observation['guestAssets'][];
  firstTrial: string | null;
  lastTrial: string | null;
  outcomes: Map<string, number>;
}

export function runFacts(observations: readonly Observation[]): RunFacts {
  const starts = observations.map((o) => o.startedAt).sort();
  const outcomes = new Map<string, number>();
  for (const o of observations) outcomes.set(o.outcome, (outcomes.get(o.outcome) ?? 0) + 1);
  return {
    hosts: distinct(observations.map((o) => ({ ...o.host, memAvailableKiB: null }))),
    variants: distinct(observations.map((o) => o.variant)),
    guestAssets: distinct(observations.map((o) => o.guestAssets)),
    firstTrial: starts[0] ?? null,
    lastTrial: starts[starts.length - 1] ?? null,
    outcomes,
  };
}

/**
 * One line saying what was measured on what, for chart subtitles: a chart copied into slides
 * loses the report around it, so it must carry its own provenance.
 */
export function setupLine(observations: readonly Observation[]): string {
  const facts = runFacts(observations);
  const byVersion = new Map<string, string[]>();
  for (const v of facts.variants) {
    const names = byVersion.get(v.qemuVersion) ?? [];
    if (!names.includes(v.name)) names.push(v.name);
    byVersion.set(v.qemuVersion, names);
  }
  const qemu =
    byVersion.size === 1 ? `QEMU ${[...byVersion.keys()][0]}` : `QEMU ${[...byVersion].map(([ver, names]) => `${ver} (${names.join(', ')})`).join(', ')}`;
  const guests = distinctStrings(observations.map((o) => `${o.params.arch} guest on ${o.params.accel.toUpperCase()}`));
  const hosts = distinctStrings(facts.hosts.map((h) => `${h.cpus} × ${h.cpuModel}`));
  // A case `until: qemu-init` never boots its guest: its "total" is QEMU's init, said where it is read.
  const end = allEndedAtInit(observations) ? 'trials end at QEMU init (total = init)' : '';
  return [qemu, guests.join(', '), `host: ${hosts.join(', ')}`, end].filter((s) => s !== '').join(' · ');
}

function distinct<T>(xs: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const x of xs) seen.set(JSON.stringify(x), x);
  return [...seen.values()];
}

function distinctStrings(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
