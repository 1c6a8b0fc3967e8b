import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mboxOf, reply, splitMbox } from '../review/mbox-of.js';
import { reviewRun } from '../review/review-run.js';

// What a list archive hands a reviewer: the series with its cover letter and replies, in any
// order. Only the patches are applied, in [PATCH n/N] order; one trial each, no verdict asked.
t.test('a shuffled mbox with a cover letter and replies: only the patches, applied in [PATCH n/N] order', { timeout: 900_000 }, async (t) => {
  const [made, p1, p2] = splitMbox(await mboxOf('virtio-pci-batch-routes', { coverLetter: true }));
  t.match(made, /Subject: \[PATCH 0\/2\] \*\*\* SUBJECT HERE \*\*\*/);
  const cover = made!.replace('*** SUBJECT HERE ***', 'virtio-pci: Batch MSI route commits');
  const mixed = [reply('[PATCH 2/2] virtio-pci: ...', 'diff --git a/x b/x'), p2!, reply('[PATCH 0/2] ...', 'cover'), cover, p1!].join('\n');
  const { r, runDir, text } = await reviewRun(t, mixed, 'disks: 2\nvariants: [upstream]\nrepetitions: 1\n', ['--max-repetitions', '1']);
  t.equal(r.exitCode, 0, r.stderr.split('\n').slice(-3).join('\n'));
  t.equal(r.stderr.split('\n').filter((l) => /^skipped .*: a reply$/.test(l)).length, 2, 'both replies skipped');
  t.match(text, /^> \[PATCH 0\/2\] virtio-pci: Batch MSI route commits$/m, 'the cover letter is what is quoted');
  const seriesDir = join(runDir, 'review', 'series');
  const [name] = (await readFile(join(runDir, 'run.json'), 'utf8')).match(/review\/series\/([^ )]+)/)!.slice(1);
  const applied = (await readFile(join(seriesDir, name!, 'series'), 'utf8')).trim().split('\n');
  t.same(applied, ['0001-virtio-pci-Commit-a-device-s-MSI-routes-once-not-onc.patch', '0002-virtio-pci-Remember-the-MSI-message-of-a-vector-s-ro.patch']);
  t.notMatch(await readFile(join(runDir, 'review', 'posted.mbox'), 'utf8'), /^Subject: Re:/m, 'the kept mbox holds no reply');
});
