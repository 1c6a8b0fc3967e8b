import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Above this a cgroup v1 limit means "no limit" (the kernel writes PAGE_COUNTER_MAX in bytes). */
const unlimitedV1 = 2 ** 62;

/**
 * Memory this process's cgroups still allow, KiB: the smallest (limit - usage) over its memory
 * cgroup and every ancestor, v2 (`memory.max`, `memory.current`) or v1 (`memory.limit_in_bytes`,
 * `memory.usage_in_bytes`). null: no limit anywhere. A CI runner or a systemd slice often caps
 * memory far below MemAvailable, and a QEMU past the cap is OOM-killed mid-boot.
 */
export async function cgroupMemoryHeadroomKiB(root = '/sys/fs/cgroup'): Promise<number | null> {
  const found = await ownMemoryCgroup(root);
  if (!found) return null;
  let headroom: number | null = null;
  for (let path = found.path; ; path = parentOf(path)) {
    const limit = await readBytes(join(found.dir, path, found.limit));
    const usage = await readBytes(join(found.dir, path, found.usage));
    if (limit !== null && limit < unlimitedV1 && usage !== null) {
      const free = Math.max(0, Math.floor((limit - usage) / 1024));
      headroom = headroom === null ? free : Math.min(headroom, free);
    }
    if (path === '/' || path === '') break;
  }
  return headroom;
}

/** This process's memory cgroup: its hierarchy's mount (`dir`), its `path` there, and the file names of that version. */
export async function ownMemoryCgroup(root = '/sys/fs/cgroup'): Promise<{ dir: string; path: string; limit: string; usage: string } | undefined> {
  const lines = (await readFile('/proc/self/cgroup', 'utf8').catch(() => '')).split('\n');
  const v1 = lines.find((l) => l.split(':')[1]?.split(',').includes('memory'));
  const v2 = lines.find((l) => l.startsWith('0::'));
  if (v1) return { dir: join(root, 'memory'), path: v1.split(':')[2] ?? '/', limit: 'memory.limit_in_bytes', usage: 'memory.usage_in_bytes' };
  if (v2) return { dir: root, path: v2.slice(3), limit: 'memory.max', usage: 'memory.current' };
  return undefined;
}

function parentOf(path: string): string {
  const cut = path.replace(/\/+$/, '').lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** A byte count from a cgroup file; null for "max", a missing file or anything unreadable. */
async function readBytes(file: string): Promise<number | null> {
  const text = (await readFile(file, 'utf8').catch(() => '')).trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}
