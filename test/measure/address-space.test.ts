import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressSpaceOf, parseMaps } from '../../harness/measure/address-space.js';
import { statusKiB } from '../../harness/measure/resources.js';
import { repoRoot } from '../helpers.js';

// Recorded from Debian's qemu-system-s390x 7.2 with 4 vCPUs and 4 iothreads (test/fixtures/proc/README.md).
const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/proc', name), 'utf8');
const inherited = { maps: parseMaps(fixture('qemu-s390x-smp4-iothreads4.smaps')), status: fixture('qemu-s390x-smp4-iothreads4.status') };
const arenaMax1 = { maps: parseMaps(fixture('qemu-s390x-smp4-iothreads4-arena-max-1.maps')), status: fixture('qemu-s390x-smp4-iothreads4-arena-max-1.status') };

t.test('smaps and maps parse to the same mappings: detail lines are skipped', async (t) => {
  t.equal(inherited.maps.length, 409, 'smaps: one mapping per header line, none from its Size:/Rss: lines');
  t.equal(arenaMax1.maps.length, 387);
  t.same(inherited.maps[0], { start: 0x55a96d2b2000n, end: 0x55a96d4ff000n, perms: 'r--p', path: '/usr/bin/qemu-system-s390x' });
  t.ok(inherited.maps.some((m) => m.path === '[heap]'));
});

t.test('glibc arena heaps: 10 with the default arena count, none with MALLOC_ARENA_MAX=1', async (t) => {
  t.equal(addressSpaceOf(inherited.maps).mallocArenas, 10);
  t.equal(addressSpaceOf(arenaMax1.maps).mallocArenas, 0);
  // The heaps explain the difference in address space: 10 × 64 MiB, within the few MiB the
  // main heap and the rest differ by between the two processes.
  const vmDiffKiB = statusKiB(inherited.status, 'VmSize') - statusKiB(arenaMax1.status, 'VmSize');
  t.ok(Math.abs(vmDiffKiB - 10 * 65536) < 0.02 * 10 * 65536, `VmSize differs by ${vmDiffKiB} KiB`);
});

t.test('committed memory counts private writable mappings only', async (t) => {
  const kib = (perms: string, bytes: number, path = '') => ({ start: 0x7f0000000000n, end: 0x7f0000000000n + BigInt(bytes), perms, path });
  t.equal(
    addressSpaceOf([kib('rw-p', 8 << 20), kib('rwxp', 1 << 20), kib('---p', 64 << 20), kib('rw-s', 512 << 20, '/memfd:ram'), kib('r--p', 4096, '/lib/x.so')]).committedKiB,
    9 * 1024,
    'stacks and code buffers count; PROT_NONE, shared and read-only do not',
  );
  // Under strict overcommit the arenas cost little: their 64 MiB reservations are PROT_NONE.
  const a = addressSpaceOf(inherited.maps).committedKiB;
  const b = addressSpaceOf(arenaMax1.maps).committedKiB;
  t.ok(a > 512 * 1024 && b > 512 * 1024, 'the 512 MiB of private guest RAM is charged');
  t.ok(Math.abs(a - b) < 8 * 1024, `committed ${a} vs ${b} KiB: within 8 MiB`);
});

t.test('an arena heap is a 64 MiB-aligned rw-p mapping with its ---p rest, 64 MiB together', async (t) => {
  const at = (start: bigint, kb: number, perms: string, path = '') => ({ start, end: start + BigInt(kb) * 1024n, perms, path });
  const base = 0x7f8640000000n;
  t.equal(addressSpaceOf([at(base, 132, 'rw-p'), at(base + 132n * 1024n, 65536 - 132, '---p')]).mallocArenas, 1);
  t.equal(addressSpaceOf([at(base, 65536, 'rw-p')]).mallocArenas, 1, 'a full heap');
  t.equal(addressSpaceOf([at(base + 4096n, 132, 'rw-p'), at(base + 4096n + 132n * 1024n, 65536 - 133, '---p')]).mallocArenas, 0, 'not aligned');
  t.equal(addressSpaceOf([at(base, 32764, 'rwxp'), at(base + 32764n * 1024n, 4, '---p')]).mallocArenas, 0, "TCG's code regions are not heaps");
  t.equal(addressSpaceOf([at(base, 132, 'rw-p', '/dev/zero'), at(base + 132n * 1024n, 65536 - 132, '---p')]).mallocArenas, 0, 'file-backed');
});
