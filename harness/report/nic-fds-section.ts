/**
 * fds per NIC: a case that gives guests NICs shows, per variant and NIC count, QEMU's peak
 * open fds against the NICs the guest saw, and what each added NIC cost between two counts
 * (the fixed fds cancel out there). The talk counted 8 per NIC with a tap and vhost-net.
 */
import type { Section } from './document-model.js';
import type { CaseModel } from './model.js';
import { bridgesFor } from '../run/qemu/nic-network.js';
import type { Observation } from '../record/observation.js';

interface Row {
  variant: string;
  nics: number;
  seen: number | null;
  fds: number;
}

/** The highest fd peak of a point's ok trials: fds are sampled, and a sample can miss the peak. */
function rowOf(variant: string, trials: readonly Observation[]): Row | undefined {
  const ok = trials.filter((o) => o.outcome === 'ok' && (o.params.nics ?? 0) > 0 && o.resources.fdsPeak !== null);
  if (ok.length === 0) return undefined;
  const seen = ok.map((o) => o.guest.nicsSeen ?? null);
  return {
    variant,
    nics: ok[0]!.params.nics!,
    seen: seen.every((s) => s === seen[0]) ? seen[0]! : null,
    fds: Math.max(...ok.map((o) => o.resources.fdsPeak!)),
  };
}

export function nicFdsSection(c: CaseModel): Section | undefined {
  const rows = c.points
    .map((p) => rowOf(p.variant, p.trials))
    .filter((r): r is Row => r !== undefined)
    .sort((a, b) => a.variant.localeCompare(b.variant) || a.nics - b.nics);
  if (rows.length === 0) return undefined;
  return {
    title: 'Open fds per NIC',
    blocks: [
      {
        kind: 'table',
        caption: "QEMU's peak open fds (highest of the ok trials) against its NICs, their taps spread over bridges of 1023 ports; per added NIC: the fds between this count and the one before, over the NICs added",
        header: ['variant', 'NICs', 'bridges', 'NICs seen', 'fds peak', 'fds / NIC', 'fds per added NIC'],
        rows: rows.map((r, i) => {
          const prev = i > 0 && rows[i - 1]!.variant === r.variant ? rows[i - 1]! : undefined;
          const added = prev && r.nics > prev.nics ? ((r.fds - prev.fds) / (r.nics - prev.nics)).toFixed(2) : '-';
          return [r.variant, String(r.nics), String(bridgesFor(r.nics)), r.seen === null ? '-' : String(r.seen), String(r.fds), (r.fds / r.nics).toFixed(2), added];
        }),
        numeric: [false, true, true, true, true, true, true],
      },
    ],
  };
}
