import t from 'tap';
import { join } from 'node:path';
import { runCli, tempDir, writeCase } from '../helpers.js';

// The drive-unit-lookup series against the unpatched source, with the 2015 -drive syntax at
// 1000 disks (drive_get()'s O(N^3) is about a second of QEMU 7.2's init there, and grows
// with the cube): `emuflock compare` on QEMU init must say FASTER — a verdict from interleaved
// trials, not a timed assertion. The trials end at QEMU init (until: qemu-init): 10 QEMU
// starts of 1000 disks, under a minute.
t.test('drive-unit-lookup makes QEMU init at 1000 legacy disks FASTER than upstream', { timeout: 1_500_000 }, async (t) => {
  const dir = await tempDir();
  const caseFile = await writeCase(
    dir,
    'drive-unit-lookup-1000',
    'disks: 1000\ndrives: legacy\nuntil: qemu-init\nvariants: [upstream, drive-unit-lookup]\nrepetitions: 5\ntimeouts: {qemuInitS: 300}\n',
  );
  const run = await runCli(['run', caseFile, '--results', join(dir, 'results')], { cwd: dir });
  t.equal(run.exitCode, 0, run.stderr.trim().split('\n').slice(-3).join('\n'));
  const runDir = join(dir, run.stdout.match(/^results: (.+)\/journal\.jsonl$/m)![1]!);
  const compare = await runCli(['compare', runDir, '--metric', 'qemuInitMs'], { cwd: dir });
  t.comment(compare.stdout);
  t.equal(compare.exitCode, 0, 'no point is SLOWER');
  const row = compare.stdout.split('\n').find((l) => /\bdrive-unit-lookup\b.*\b(FASTER|SLOWER|SAME|UNKNOWN)$/.test(l));
  t.match(row, /FASTER$/, row ?? '');
});
