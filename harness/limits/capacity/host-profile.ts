import { inputError } from '../../core/errors.js';
import type { HostRecord } from '../../record/host.js';

/** The limits a capacity projection holds guests against. null: unlimited. */
export interface HostProfile {
  label: string;
  cpus: number;
  memoryMiB: number;
  nofileHard: number | null;
  fileMax: number | null;
  threadsMax: number | null;
  pidMax: number | null;
  nprocSoft: number | null;
  /**
   * MiB still committable under strict overcommit (vm.overcommit_memory=2): CommitLimit -
   * Committed_AS; null under heuristic overcommit, where commits set no bound.
   */
  commitRoomMiB: number | null;
  /** Where values are assumed rather than read: said under the table. */
  assumed: string[];
}

/** This host, as a run sees it (soft open-file limit raised to the hard one). */
export function thisHost(host: HostRecord): HostProfile {
  const l = host.limits;
  return {
    label: `this host (${host.cpus} CPUs, ${gib(host.memKiB / 1024)} GiB)`,
    cpus: host.cpus,
    memoryMiB: Math.floor((host.memAvailableKiB ?? host.memKiB) / 1024),
    nofileHard: l.nofileHard,
    fileMax: l.fileMax,
    threadsMax: l.threadsMax,
    pidMax: l.pidMax,
    nprocSoft: l.nprocSoft,
    commitRoomMiB: commitRoomMiB(l),
    assumed: [],
  };
}

function commitRoomMiB(l: HostRecord['limits']): number | null {
  if (l.overcommitMemory !== 2 || l.commitLimitKiB == null || l.committedAsKiB == null) return null;
  return Math.max(0, Math.floor((l.commitLimitKiB - l.committedAsKiB) / 1024));
}

const units: Record<string, number> = { M: 1, G: 1024, T: 1024 * 1024 };

/**
 * A host described on the command line, e.g. `cpus=64,mem=2T` (the talk's LinuxONE LPAR), with
 * optional `nofile=`, `file-max=`, `threads-max=`, `pid-max=`, `nproc=`, and `commit=` (the room
 * CommitLimit - Committed_AS leaves under vm.overcommit_memory=2; without it, heuristic overcommit). What it does not say is
 * the Linux default for its memory (fs.file-max = RAM in KiB / 10, kernel.threads-max = RAM /
 * 128 KiB, RLIMIT_NPROC = threads-max / 2) or systemd's (pid_max 4194304, hard nofile 524288),
 * and each assumption is listed.
 */
export function describedHost(spec: string, flag = '--host'): HostProfile {
  const fields = new Map<string, string>();
  for (const part of spec.split(',').filter(Boolean)) {
    const [key, value, ...extra] = part.split('=');
    if (!key || value === undefined || extra.length > 0) throw inputError(`${flag} ${spec}: "${part}" is not key=value (e.g. cpus=64,mem=2T)`);
    fields.set(key.trim(), value.trim());
  }
  const known = ['cpus', 'mem', 'nofile', 'file-max', 'threads-max', 'pid-max', 'nproc', 'commit'];
  for (const key of fields.keys()) {
    if (!known.includes(key)) throw inputError(`${flag}: unknown key "${key}" (known: ${known.join(', ')})`);
  }
  const cpus = wholeNumber(fields.get('cpus'), `${flag} cpus`);
  const memText = fields.get('mem');
  if (cpus === undefined || memText === undefined) throw inputError(`${flag} ${spec}: say at least cpus= and mem= (e.g. cpus=64,mem=2T)`);
  const mem = memText.match(/^(\d+(?:\.\d+)?)([MGT])$/i);
  if (!mem) throw inputError(`${flag} mem=${memText}: expected a size such as 512G or 2T`);
  const memoryMiB = Math.floor(Number(mem[1]) * units[mem[2]!.toUpperCase()]!);
  const assumed: string[] = [];
  const orDefault = (key: string, fallback: number, why: string): number => {
    const given = wholeNumber(fields.get(key), `${flag} ${key}`);
    if (given !== undefined) return given;
    assumed.push(`${key} ${fallback} (${why})`);
    return fallback;
  };
  const commitText = fields.get('commit');
  const commit = commitText?.match(/^(\d+(?:\.\d+)?)([MGT])$/i);
  if (commitText !== undefined && !commit) throw inputError(`${flag} commit=${commitText}: expected a size such as 512G (CommitLimit - Committed_AS under vm.overcommit_memory=2)`);
  if (!commit) assumed.push('heuristic overcommit (vm.overcommit_memory 0): commit= gives the room under strict overcommit');
  const threadsMax = orDefault('threads-max', Math.floor((memoryMiB * 1024) / 128), 'Linux default: RAM / 128 KiB');
  return {
    label: `described host (${cpus} CPUs, ${gib(memoryMiB)} GiB)`,
    cpus,
    // The kernel, page cache and host daemons keep some: 5% is a modest guess, and said.
    memoryMiB: Math.floor(memoryMiB * 0.95),
    nofileHard: orDefault('nofile', 524288, "systemd's default hard limit"),
    fileMax: orDefault('file-max', Math.floor((memoryMiB * 1024) / 10), 'Linux default: RAM in KiB / 10'),
    threadsMax,
    pidMax: orDefault('pid-max', 4194304, 'systemd sets it on 64-bit hosts'),
    nprocSoft: orDefault('nproc', Math.floor(threadsMax / 2), 'Linux default: threads-max / 2'),
    commitRoomMiB: commit ? Math.floor(Number(commit[1]) * units[commit[2]!.toUpperCase()]!) : null,
    assumed: [...assumed, '95% of the memory available to guests'],
  };
}

function wholeNumber(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw inputError(`${what}=${text}: expected a whole number above 0`);
  return Number(text);
}

function gib(mib: number): string {
  return (mib / 1024).toFixed(mib >= 10 * 1024 ? 0 : 1);
}
