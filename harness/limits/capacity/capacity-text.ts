import { textTable } from '../../core/text-table.js';
import { costAt, type CostModel, type FleetSample } from './cost-model.js';
import type { Projection } from './projection.js';

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** The sweep's fleets and the costs fitted from them. */
export function costText(samples: FleetSample[], model: CostModel, disks: number): string {
  const rows = samples.map((s) => [`${s.guests} x ${s.disks}`, fixed(s.memoryMiB, 0), `${s.fds}`, `${s.threads}`, s.idleCpu === null ? '-' : fixed(s.idleCpu, 3), fixed(s.committedMiB, 0)]);
  const cost = (label: string, at: (r: keyof CostModel) => number) => [label, fixed(at('memoryMiB'), 2), fixed(at('fds'), 2), fixed(at('threads'), 2), fixed(at('idleCpu'), 4), fixed(at('committedMiB'), 2)];
  return [
    'measured fleets (host peaks of all QEMUs together; idle CPU per held guest):',
    textTable(['guests x disks', 'MiB', 'fds', 'threads', 'idle CPUs', 'committed MiB'], rows),
    '',
    'fitted costs:',
    textTable(
      ['', 'MiB', 'fds', 'threads', 'idle CPUs', 'committed MiB'],
      [
        cost('per guest', (r) => model[r].perGuest),
        cost('per disk', (r) => model[r].perDisk),
        cost(`one guest of ${disks} disks`, (r) => costAt(model, r, disks)),
      ],
    ),
  ].join('\n');
}

/** Limits side by side for each host, the binding one named, then the per-guest disk limits. */
export function projectionText(projections: Projection[]): string {
  const [first] = projections;
  if (!first) return '';
  const disks = first.disks;
  const cell = (p: Projection, i: number) => {
    const b = p.guestBounds[i]!;
    return b.maxGuests === null ? 'no bound' : `${b.maxGuests} (${b.have} ${b.unit})`;
  };
  const rows = first.guestBounds.map((b, i) => [b.soft ? `${b.limit} *` : b.limit, ...projections.map((p) => cell(p, i))]);
  const binding = (p: Projection) => (p.binding ? `${p.binding.maxGuests} guests: ${p.binding.limit} (${p.binding.maxGuests! * disks} disks)` : 'none found');
  const lines = [
    `guests of ${disks} disks that fit, by limit:`,
    textTable(['limit', ...projections.map((p) => p.host.label)], rows),
    '* not a failure: past it, idle guests alone keep every CPU busy and start-up slows down',
    '',
    ...projections.map((p) => `${p.host.label}: binds first at ${binding(p)}${p.cpuFirst ? `; CPU saturates earlier, at ${p.cpuFirst.maxGuests} guests` : ''}`),
    '',
    'disks one guest can have, by limit:',
    textTable(
      ['limit', ...projections.map((p) => p.host.label)],
      first.diskBounds.map((d, i) => [d.limit, ...projections.map((p) => String(p.diskBounds[i]!.maxDisks ?? 'no bound'))]),
    ),
  ];
  const assumed = projections.flatMap((p) => p.host.assumed.map((a) => `  ${p.host.label}: ${a}`));
  if (assumed.length > 0) lines.push('', 'assumed, not read:', ...assumed);
  return lines.join('\n');
}
