import t from 'tap';
import { join } from 'node:path';
import { readJournal } from '../../harness/journal/journal.js';
import { runCli, tempDir, writeCase } from '../helpers.js';

// One run of cases of two guest architectures: `system` is a different binary for each.
t.test('a run of an s390x and an x86_64 case boots each with its own QEMU', { timeout: 300_000 }, async (t) => {
  const dir = await tempDir();
  const s390x = await writeCase(dir, 'small-s390x', 'arch: s390x\ndisks: 2\n');
  const x86 = await writeCase(dir, 'small-x86', 'arch: x86_64\ndisks: 2\n');
  const run = await runCli(['run', s390x, x86, '--results', join(dir, 'results')], { cwd: dir });
  t.equal(run.exitCode, 0, run.stderr.trim().split('\n').slice(-3).join('\n'));
  const runDir = join(dir, run.stdout.match(/^results: (.+)\/journal\.jsonl$/m)![1]!);
  const byCase = new Map((await readJournal(join(runDir, 'journal.jsonl'))).map((o) => [o.case, o]));
  t.match(byCase.get('small-s390x')?.variant.binary, /qemu-system-s390x$/);
  t.match(byCase.get('small-x86')?.variant.binary, /qemu-system-x86_64$/);
  t.equal(byCase.get('small-s390x')?.outcome, 'ok');
  t.equal(byCase.get('small-x86')?.outcome, 'ok');
});
