import { access, readFile } from 'node:fs/promises';
import { cgroupMemoryHeadroomKiB } from './cgroup-memory.js';
import { cpus, hostname, release, totalmem } from 'node:os';
import { hostRouteLimit } from './irq/route-limit.js';
import { ptyRoom } from './pty-room.js';
import type { HostRecord } from '../record/host.js';

async function readNumber(path: string): Promise<number | null> {
  try {
    const n = Number((await readFile(path, 'utf8')).trim().split(/\s+/)[0]);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/** Limits of this process (inherited by QEMU): "unlimited" reads as null. */
export async function processLimit(name: string): Promise<{ soft: number | null; hard: number | null }> {
  const text = await readFile('/proc/self/limits', 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(name));
  const parts = line?.slice(name.length).trim().split(/\s+/) ?? [];
  const num = (s: string | undefined) => (s === undefined || s === 'unlimited' ? null : Number(s));
  return { soft: num(parts[0]), hard: num(parts[1]) };
}

/**
 * Memory a QEMU started now could use, KiB: MemAvailable (the kernel's estimate of what can be
 * allocated without swapping), or less where this process's cgroup caps it.
 */
export async function memAvailableKiB(): Promise<number | null> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const parsed = Number(meminfo.match(/^MemAvailable:\s+(\d+)/m)?.[1]);
  const available = Number.isFinite(parsed) ? parsed : null;
  const cgroup = await cgroupMemoryHeadroomKiB();
  if (cgroup === null) return available;
  return available === null ? cgroup : Math.min(available, cgroup);
}

async function commitCounters(): Promise<{ commitLimitKiB: number | null; committedAsKiB: number | null }> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const field = (name: string) => {
    const n = Number(meminfo.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))?.[1]);
    return Number.isFinite(n) ? n : null;
  };
  return { commitLimitKiB: field('CommitLimit'), committedAsKiB: field('Committed_AS') };
}

/** What a result depends on besides QEMU: recorded with every Observation. */
export async function describeHost(): Promise<HostRecord> {
  const nofile = await processLimit('Max open files');
  const nproc = await processLimit('Max processes');
  return {
    hostname: hostname(),
    kernel: release(),
    arch: process.arch,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memKiB: Math.round(totalmem() / 1024),
    memAvailableKiB: await memAvailableKiB(),
    limits: {
      nofileSoft: nofile.soft,
      nofileHard: nofile.hard,
      nprocSoft: nproc.soft,
      aioMaxNr: await readNumber('/proc/sys/fs/aio-max-nr'),
      aioNr: await readNumber('/proc/sys/fs/aio-nr'),
      fileMax: await readNumber('/proc/sys/fs/file-max'),
      ptyMax: await readNumber('/proc/sys/kernel/pty/max'),
      threadsMax: await readNumber('/proc/sys/kernel/threads-max'),
      pidMax: await readNumber('/proc/sys/kernel/pid_max'),
      maxMapCount: await readNumber('/proc/sys/vm/max_map_count'),
      kvmIrqRoutes: (await hostRouteLimit()).routes,
      ptyRoom: await ptyRoom(),
      overcommitMemory: await readNumber('/proc/sys/vm/overcommit_memory'),
      ...(await commitCounters()),
    },
    vhostNet: await access('/dev/vhost-net').then(
      () => true,
      () => false,
    ),
  };
}
