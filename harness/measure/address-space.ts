/**
 * A process's address space as /proc/PID/maps (or the header lines of /proc/PID/smaps) lists
 * it: what strict overcommit would charge it, and how many glibc malloc arena heaps it holds.
 */
export interface Mapping {
  start: bigint;
  end: bigint;
  /** `rw-p`, `r-xp`, `---p`, `rw-s`... */
  perms: string;
  /** File path, `[heap]`, `[stack]`...; "" for anonymous memory. */
  path: string;
}

export interface AddressSpace {
  /**
   * KiB that vm.overcommit_memory=2 charges against CommitLimit: private writable mappings
   * (mm/mmap.c accountable_mapping(): VM_WRITE without VM_SHARED). PROT_NONE reservations, such
   * as the unused part of an arena heap, are not charged until made writable.
   */
  committedKiB: number;
  /** glibc's per-thread arena heaps (see isArenaHeap); 0 when only the main arena is used. */
  mallocArenas: number;
}

const mappingLine = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \S+ *(.*)$/;

/** Mapping lines of maps or smaps text; smaps' per-mapping detail lines are skipped. */
export function parseMaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of text.split('\n')) {
    const m = mappingLine.exec(line);
    if (m) out.push({ start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`), perms: m[3]!, path: m[4]!.trim() });
  }
  return out;
}

/** glibc's HEAP_MAX_SIZE on 64-bit: 2 × DEFAULT_MMAP_THRESHOLD_MAX (malloc/arena.c). */
export const arenaHeapBytes = 64n * 1024n * 1024n;

/**
 * A non-main arena's heap: glibc maps HEAP_MAX_SIZE of PROT_NONE aligned to its own size,
 * then makes the part in use read-write (malloc/arena.c new_heap, grow_heap). So it shows as an
 * anonymous `rw-p` mapping at a 64 MiB boundary, alone or followed at once by the anonymous
 * `---p` rest, together exactly 64 MiB. An arena that outgrows one heap chains a second, counted
 * again (rare in QEMU: its arenas hold small objects); the kernel merging a heap with an
 * anonymous `rw-p` neighbour that ends exactly at its boundary would hide it (not seen in
 * QEMU's maps: thread stacks are followed by guard pages, arenas by their PROT_NONE rest).
 */
function isArenaHeap(maps: readonly Mapping[], i: number): boolean {
  const head = maps[i]!;
  if (head.path !== '' || head.perms !== 'rw-p' || head.start % arenaHeapBytes !== 0n) return false;
  if (head.end - head.start === arenaHeapBytes) return true;
  const rest = maps[i + 1];
  return rest !== undefined && rest.path === '' && rest.perms === '---p' && rest.start === head.end && rest.end - head.start === arenaHeapBytes;
}

export function addressSpaceOf(maps: readonly Mapping[]): AddressSpace {
  let committed = 0n;
  let mallocArenas = 0;
  maps.forEach((m, i) => {
    if (m.perms[1] === 'w' && m.perms[3] === 'p') committed += m.end - m.start;
    if (isArenaHeap(maps, i)) mallocArenas++;
  });
  return { committedKiB: Number(committed / 1024n), mallocArenas };
}
