import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, runCli, tempDir, writeCase } from '../helpers.js';
import { mboxOf, splitMbox } from '../review/mbox-of.js';

// Bad series stop before anything is built or booted: exit 2 and one line saying what and where.
const smallCase = 'disks: 2\nvariants: [upstream]\nrepetitions: 1\n';

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('emuflock: '));
}

t.test('a patch that does not apply: exit 2, one line naming the patch and the hunk', async (t) => {
  const dir = await tempDir();
  const caseFile = await writeCase(dir, 'two-disks', smallCase);
  const patch = join(repoRoot, 'test/fixtures/patches/does-not-apply/0001-context-that-does-not-exist.patch');
  const r = await runCli(['review', patch, '--case', caseFile, '--results', join(dir, 'results')], { cwd: dir });
  t.equal(r.exitCode, 2, r.stderr);
  t.same(errorLines(r.stderr), [
    `emuflock: [PATCH] "a patch written against some other QEMU" (${patch}:1) does not apply to upstream (Debian qemu 7.2+dfsg-7+deb12u18): hw/block/virtio-blk.c: hunk #2 (@@ -40,6 +41,7 @@) does not apply`,
  ]);
  t.notOk(r.stderr.includes('    at '), 'no stack trace');
});

t.test('a malformed mbox: exit 2, one line with file, line and what is wrong', async (t) => {
  const dir = await tempDir();
  const caseFile = await writeCase(dir, 'two-disks', smallCase);
  await writeFile(join(dir, 'broken.mbox'), 'From 1234 Mon Sep 17 00:00:00 2001\nFrom: Ada <ada@example.org>\nSubject [PATCH] missing colon\n\nbody\n');
  const r = await runCli(['review', 'broken.mbox', '--case', caseFile], { cwd: dir });
  t.equal(r.exitCode, 2);
  t.same(errorLines(r.stderr), ['emuflock: broken.mbox:3: malformed mail header (expected "Name: value", found "Subject [PATCH] missing colon")']);
});

t.test('an incomplete series: exit 2, naming the missing patch', async (t) => {
  const dir = await tempDir();
  const caseFile = await writeCase(dir, 'two-disks', smallCase);
  const [first] = splitMbox(await mboxOf('virtio-pci-batch-routes'));
  await writeFile(join(dir, 'half.mbox'), first!);
  const r = await runCli(['review', 'half.mbox', '--case', caseFile], { cwd: dir });
  t.equal(r.exitCode, 2);
  t.same(errorLines(r.stderr), ['emuflock: half.mbox: the series is incomplete: [PATCH 2/2] missing (have 1 of 2)']);
});
