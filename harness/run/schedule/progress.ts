import type { Trial } from '../../case/matrix.js';
import type { Look } from './adaptive.js';
import { formatDuration } from '../../core/duration.js';
import type { Observation } from '../../record/observation.js';

const secs = (ms: number | null) => (ms === null ? '-' : (ms / 1000).toFixed(2));

/** One line per trial, whatever the output is: logs of long CI runs stay readable. */
export function trialLine(index: number, total: number, trial: Trial, obs: Observation, etaMs: number | undefined): string {
  const p = obs.phases;
  const head = `[${index}/${total}] ${trial.case} ${trial.variant} ${trial.point}${trial.warmup ? ' (warm-up)' : ` rep ${trial.rep + 1}`}`;
  const result =
    obs.outcome === 'ok'
      ? obs.params.until === 'qemu-init'
        ? `ok ${secs(p.totalMs)} s (QEMU init; the case ends there; quit ${secs(p.shutdownMs)})`
        : `ok ${secs(p.totalMs)} s (init ${secs(p.qemuInitMs)}, boot ${secs(p.guestBootMs)}, probe ${secs(p.diskProbeMs)}, shutdown ${secs(p.shutdownMs)})`
      : `${obs.outcome}: ${obs.error?.message ?? ''}`;
  const eta = etaMs !== undefined && index < total ? `  [eta ${formatDuration(etaMs)}]` : '';
  return `${head}: ${result}${migrationPart(obs)}${eta}`;
}

/** A migrating trial: how many guests migrated, how long all took, and how many had no port. */
function migrationPart(obs: Observation): string {
  const m = obs.migration;
  if (!m) return '';
  const noPort = m.perGuest.filter((g) => g.outcome === 'no-port').length;
  const otherwise = m.perGuest.length - m.completed - noPort;
  const failed = [noPort > 0 ? `${noPort} without a port` : '', otherwise > 0 ? `${otherwise} failed` : ''].filter(Boolean).join(', ');
  return `; migrated ${m.completed}/${m.perGuest.length}${m.allEndedMs === null ? '' : ` in ${secs(m.allEndedMs)} s`}${failed ? ` (${failed})` : ''}`;
}

/** Why the plan grew: which comparisons are still undecided, and to how many repetitions. */
export function extensionLine(looks: readonly Look[], added: number): string {
  const growing = looks.filter((l) => l.next.old > l.reps.old || l.next.new > l.reps.new);
  const sizes = (s: Look['reps']) => (s.old === s.new ? String(s.new) : `${s.new} vs ${s.old}`);
  const what = growing.map((l) => `${l.unit.case.name} ${l.unit.point} ${l.unit.variant} vs ${l.baseline.variant}: ${l.verdict} at ${sizes(l.reps)}, → ${sizes(l.next)}`);
  return `adaptive repetitions: ${what.join('; ')} (${added} trials added)`;
}
