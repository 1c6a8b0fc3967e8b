/**
 * Where the time goes, from perf profiles (`emuflock run --profile`): per point, variant and
 * phase, the hottest functions and the function owning most of the stack with its heaviest
 * call chain, so a reader sees e.g. drive_get named as the start-up cost without opening perf.
 */
import { describeTop, hottestUserFunction, mergePhase } from './profile-merge.js';
import { phaseTable } from '../record/phases.js';
import type { Section } from './document-model.js';
import type { CaseModel } from './model.js';
import { secs } from './units.js';


export function profileSection(c: CaseModel): Section | undefined {
  const rows: string[][] = [];
  for (const p of c.points) {
    for (const { key, ms } of phaseTable) {
      const merged = mergePhase(p.trials, key);
      if (!merged) continue;
      const hottest = hottestUserFunction(merged);
      const time = p.phaseMedians[ms];
      rows.push([
        p.point,
        p.variant,
        key,
        time === null ? '-' : secs(time),
        String(merged.samples),
        describeTop(merged.self),
        describeTop(merged.total),
        hottest ? hottest.chain.slice(0, 6).join(' ← ') : '-',
      ]);
    }
  }
  if (rows.length === 0) return undefined;
  return {
    title: 'Where the time goes (perf profile)',
    blocks: [
      {
        kind: 'table',
        caption: 'per phase: median time (s), samples, hottest functions (self), functions owning most of the stack (inclusive), and the heaviest call chain of the hottest QEMU function, callee first',
        header: ['point', 'variant', 'phase', 'time s', 'samples', 'hottest (self)', 'owning the stack (inclusive)', 'chain of the hottest QEMU function'],
        rows,
        numeric: [false, false, false, true, true, false, false, false],
      },
    ],
  };
}
