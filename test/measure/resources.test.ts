import t from 'tap';
import { closeSync, openSync } from 'node:fs';
import { ResourceSampler, sampleProcess } from '../../harness/measure/resources.js';

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
