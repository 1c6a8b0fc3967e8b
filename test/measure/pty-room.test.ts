import t from 'tap';
import { devptsMax, devptsOptions, initialMountNamespace, ptyRoomOf, reserveUsable } from '../../harness/measure/pty-room.js';

// This host's /proc/self/mountinfo, then inside `unshare --mount` after mounting a private instance.
const host = `25 23 0:23 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
28 25 0:25 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
`;
const privateInstance = `60 57 0:23 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
61 60 0:25 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
62 61 0:38 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=666,max=8
63 57 0:38 /ptmx /dev/ptmx rw,relatime - devpts devpts rw,mode=600,ptmxmode=666,max=8
`;

t.test('the devpts on top of /dev/pts gives the options', async (t) => {
  t.equal(devptsMax(devptsOptions(host)!), null, 'no max=: only the kernel limit holds');
  t.equal(devptsMax(devptsOptions(privateInstance)!), 8);
  t.equal(devptsOptions('22 1 0:5 / /dev rw - devtmpfs udev rw\n'), undefined);
});

t.test('the room is the smaller of the kernel-wide and the instance limit', async (t) => {
  const counts = { ptyMax: 4096, ptyNr: 10, ptyReserve: 1024, reserveUsable: true, devptsMax: null, devptsInUse: 3 };
  // A new pty fails once the count would reach pty.max (fs/devpts/inode.c devpts_new_index).
  t.same(ptyRoomOf(counts), { free: 4085, by: 'kernel.pty.max' });
  t.same(ptyRoomOf({ ...counts, reserveUsable: false }), { free: 3061, by: 'kernel.pty.max' }, 'outside the initial mount namespace the reserve is not ours');
  t.same(ptyRoomOf({ ...counts, devptsMax: 8 }), { free: 5, by: 'devpts max=' });
  t.same(ptyRoomOf({ ...counts, devptsMax: 8, devptsInUse: 9 }), { free: 0, by: 'devpts max=' }, 'never negative');
  t.same(ptyRoomOf({ ...counts, ptyNr: 4095 }), { free: 0, by: 'kernel.pty.max' });
});

t.test('the reserve: the initial mount namespace by its fixed inode, else PID 1\'s', async (t) => {
  t.equal(initialMountNamespace, 'mnt:[4026531832]', "this host's (kernel 6.18), read from /proc/self/ns/mnt");
  t.ok(reserveUsable('mnt:[4026531832]', undefined), 'PID 1 unreadable, but the fixed inode says it');
  t.notOk(reserveUsable('mnt:[4026533201]', undefined), 'an unshared namespace (as `unshare --mount` made here)');
  t.ok(reserveUsable('mnt:[4026533201]', 'mnt:[4026533201]'), "PID 1's, on a kernel without the fixed inode");
  t.notOk(reserveUsable(undefined, undefined));
});
