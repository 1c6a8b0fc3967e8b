import t from 'tap';
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, openSync, realpathSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ResourceSampler, sampleProcess } from '../../harness/measure/resources.js';
import { tempDir } from '../helpers.js';

// A sample asked for at a known steady state (the guest's ready) must read after one under way,
// not be dropped because one is under way. This process is the one sampled: it opens fds between
// the two samples; the first sample's read is held (after it has read /proc) until the second
// was asked for.
t.test('a sample asked for while another is reading is taken after it, not skipped', async (t) => {
  const before = (await sampleProcess(process.pid, 'VmHWM', 'VmPeak'))!;
  let reads = 0;
  let firstHasRead!: () => void;
  const firstRead = new Promise<void>((r) => (firstHasRead = r));
  let letFirstEnd!: () => void;
  const firstMayEnd = new Promise<void>((r) => (letFirstEnd = r));
  const sampler = new ResourceSampler([process.pid], {
    read: async (pid, memory, vm) => {
      const sample = await sampleProcess(pid, memory, vm);
      if (++reads === 1) {
        firstHasRead();
        await firstMayEnd;
      }
      return sample;
    },
  });
  const first = sampler.sample();
  await firstRead;
  const fds = Array.from({ length: 30 }, () => openSync('/dev/null', 'r'));
  const second = sampler.sample();
  letFirstEnd();
  await Promise.all([first, second]);
  fds.forEach((fd) => closeSync(fd));
  const peaks = await sampler.stop();
  t.equal(reads, 3, 'three reads: the first, the one asked for during it, and the last at stop');
  t.ok(peaks.fdsPeak! >= before.fds + 30, `the peak counts the 30 fds opened between them (${peaks.fdsPeak} against ${before.fds} before)`);
});

// QEMU is exec'd on its pid by a launcher (setpriv → bash → QEMU) that first closes the fds it
// inherited: until the exec, the pid's fds are the launcher's. Here bash holds five more fds for
// half a second, then closes them and execs sleep.
t.test('a pid is counted only once it runs the program measured, not while its launcher does', async (t) => {
  const sleepBinary = realpathSync('/usr/bin/sleep');
  const launcher = spawn('bash', ['-c', 'exec 20</dev/null 21</dev/null 22</dev/null 23</dev/null 24</dev/null; sleep 0.5; exec 20<&- 21<&- 22<&- 23<&- 24<&-; exec sleep 5'], { stdio: 'ignore' });
  t.teardown(() => void launcher.kill('SIGKILL'));
  const pid = launcher.pid!;
  const sampler = new ResourceSampler([pid], { exe: '/usr/bin/sleep' });
  await sleep(150);
  await sampler.sample();
  const asLauncher = await sampleProcess(pid, 'VmHWM', 'VmPeak');
  t.ok(asLauncher && asLauncher.fds >= 8, `the launcher holds its five extra fds (${asLauncher?.fds})`);
  while ((await readlink(`/proc/${pid}/exe`).catch(() => '')) !== sleepBinary) await sleep(50);
  const peaks = await sampler.stop();
  t.ok(peaks.fdsPeak !== null && peaks.fdsPeak <= asLauncher!.fds - 5, `the peak is sleep's own fds (${peaks.fdsPeak}), not the launcher's`);
});

// A system QEMU upgraded during a run is replaced on disk under the QEMU still running:
// /proc/PID/exe then reads "PATH (deleted)", and that QEMU must still be measured.
t.test('a process whose binary was replaced on disk while it runs is still counted', async (t) => {
  const binary = join(await tempDir(), 'sleep');
  copyFileSync(realpathSync('/usr/bin/sleep'), binary);
  const child = spawn(binary, ['5'], { stdio: 'ignore' });
  t.teardown(() => void child.kill('SIGKILL'));
  while ((await readlink(`/proc/${child.pid!}/exe`).catch(() => '')) !== binary) await sleep(20);
  const sampler = new ResourceSampler([child.pid!], { exe: binary });
  await sampler.sample();
  unlinkSync(binary);
  t.match(await readlink(`/proc/${child.pid!}/exe`), / \(deleted\)$/);
  const replaced = new ResourceSampler([child.pid!], { exe: binary });
  const peaks = await replaced.stop();
  t.ok(peaks.fdsPeak !== null && peaks.fdsPeak > 0, `counted after its binary was removed (${peaks.fdsPeak} fds)`);
});
