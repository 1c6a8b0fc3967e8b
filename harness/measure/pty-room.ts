import { readdir, readFile, readlink } from 'node:fs/promises';
import type { PtyRoom } from '../record/host.js';

export interface PtyCounts {
  ptyMax: number;
  /** kernel.pty.nr: ptys open on the whole host, every devpts instance together. */
  ptyNr: number;
  ptyReserve: number;
  /** Whether the instance may use the reserve: mounted from the initial mount namespace. */
  reserveUsable: boolean;
  /** The instance's `max=`; null when it has none (then only the kernel's limit holds). */
  devptsMax: number | null;
  /** Ptys open in this instance: the numbered entries of /dev/pts. */
  devptsInUse: number;
}

/**
 * How many more ptys this process could open, and which limit says so. Two limits hold at once
 * (fs/devpts/inode.c devpts_new_index): the kernel-wide count, where a new pty fails once
 * kernel.pty.nr would reach kernel.pty.max, less kernel.pty.reserve for a devpts instance not
 * mounted from the initial mount namespace; and the devpts instance's own `max=` (containers
 * mount private instances with one). Either failing is ENOSPC from open("/dev/ptmx").
 */
export function ptyRoomOf(c: PtyCounts): PtyRoom {
  const kernel = c.ptyMax - (c.reserveUsable ? 0 : c.ptyReserve) - 1 - c.ptyNr;
  const instance = c.devptsMax === null ? Infinity : c.devptsMax - c.devptsInUse;
  return instance < kernel ? { free: Math.max(0, instance), by: 'devpts max=' } : { free: Math.max(0, kernel), by: 'kernel.pty.max' };
}

/**
 * The super-block options of the devpts instance mounted at `mountPoint` (/proc/self/mountinfo:
 * `... mount-point options [optional...] - fstype source super-options`); the last mount there
 * is the one on top, the one /dev/ptmx reaches. undefined: no devpts there.
 */
export function devptsOptions(mountinfo: string, mountPoint = '/dev/pts'): string[] | undefined {
  let found: string[] | undefined;
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after) continue;
    const [fstype, , superOptions] = after.split(' ');
    if (fstype === 'devpts' && before.split(' ')[4] === mountPoint) found = (superOptions ?? '').split(',');
  }
  return found;
}

export function devptsMax(options: readonly string[]): number | null {
  const max = options.find((o) => o.startsWith('max='));
  return max === undefined ? null : Number(max.slice(4));
}

async function readNumber(path: string): Promise<number | undefined> {
  const text = (await readFile(path, 'utf8').catch(() => '')).trim();
  return text === '' || !Number.isFinite(Number(text)) ? undefined : Number(text);
}

/**
 * The initial mount namespace's fixed inode, PROC_MNT_INIT_INO (include/linux/proc_ns.h), on
 * kernels that give it one (6.18 here); dynamic namespace inodes start at 0xf0000000, so no
 * other namespace can have it.
 */
export const initialMountNamespace = `mnt:[${0xeffffff8}]`;

/**
 * Whether an instance mounted from this process's mount namespace may use kernel.pty.reserve:
 * the kernel gives it to instances mounted from the initial mount namespace. That is this one
 * when it has the initial namespace's fixed inode, or, on kernels without one, when it is PID
 * 1's (in a container whose PID 1 shares our namespace that says yes wrongly, and the room can
 * be overstated by the reserve, unless the container's devpts has a smaller `max=`, as container
 * runtimes give it). Unreadable: no, the smaller room.
 */
export function reserveUsable(self: string | undefined, init: string | undefined): boolean {
  return self !== undefined && (self === initialMountNamespace || self === init);
}

/** This process's room for new ptys; null where /proc/sys/kernel/pty cannot be read. */
export async function ptyRoom(): Promise<PtyRoom | null> {
  const [ptyMax, ptyNr, ptyReserve] = await Promise.all(['max', 'nr', 'reserve'].map((k) => readNumber(`/proc/sys/kernel/pty/${k}`)));
  if (ptyMax === undefined || ptyNr === undefined) return null;
  const options = devptsOptions(await readFile('/proc/self/mountinfo', 'utf8').catch(() => '')) ?? [];
  const inUse = (await readdir('/dev/pts').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n)).length;
  const [self, init] = await Promise.all(['/proc/self/ns/mnt', '/proc/1/ns/mnt'].map((p) => readlink(p).catch(() => undefined)));
  return ptyRoomOf({ ptyMax, ptyNr, ptyReserve: ptyReserve ?? 0, reserveUsable: reserveUsable(self, init), devptsMax: devptsMax(options), devptsInUse: inUse });
}
