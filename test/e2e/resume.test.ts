import t from 'tap';
import { execa } from 'execa';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readJournal } from '../../harness/journal/journal.js';
import { cliCommand, runCli, tempDir, writeCase } from '../helpers.js';

// Ctrl-C while QEMU boots, then --resume: every planned trial ends up in the journal exactly once.

async function until<T>(what: string, withinMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function childQemu(parentPid: number): Promise<number | undefined> {
  const r = await execa('pgrep', ['-P', String(parentPid), '-f', 'qemu-system-s390x'], { reject: false });
  const pid = Number(r.stdout.trim().split('\n')[0]);
  return pid > 0 ? pid : undefined;
}

t.test('a run interrupted mid-boot and resumed records every planned trial once', { timeout: 180_000 }, async (t) => {
  const dir = await tempDir();
  const results = join(dir, 'results');
  const file = await writeCase(dir, 'resumable', 'disks: 8\nrepetitions: 3\nseed: 5\n');
  const harness = execa(...cliCommand(['run', file, '--results', results]), { reject: false, cwd: dir });
  const runDir = join(results, await until('the run directory', 60_000, async () => (await readdir(results).catch(() => []))[0]));
  const journal = join(runDir, 'journal.jsonl');
  await until('the first trial', 60_000, async () => ((await readJournal(journal).catch(() => [])).length >= 1 ? true : undefined));
  await until('QEMU of the second trial', 30_000, () => childQemu(harness.pid!));
  harness.kill('SIGINT');
  const stopped = await harness;
  t.equal(stopped.exitCode, 130);
  t.match(stopped.stderr, /SIGINT: QEMU killed; 1 of 3 planned trials are in /);
  t.equal((await readJournal(journal)).length, 1, 'the trial in flight is not recorded');

  const resumed = await runCli(['run', '--resume', runDir], { cwd: dir });
  t.equal(resumed.exitCode, 0, `exit 0 (${resumed.stderr.trim().split('\n').pop()})`);
  t.match(resumed.stderr, /resuming .*: 1 trials recorded/);
  const ids = (await readJournal(journal)).map((o) => o.trialId);
  t.same([...ids].sort(), ['resumable/system/disks=8/r0', 'resumable/system/disks=8/r1', 'resumable/system/disks=8/r2']);

  const again = await runCli(['run', '--resume', runDir], { cwd: dir });
  t.equal(again.exitCode, 0);
  t.equal((await readJournal(journal)).length, 3, 'resuming a finished run runs nothing');
  const mixed = await runCli(['run', '--resume', runDir, '--alpha', '0.05'], { cwd: dir });
  t.equal(mixed.exitCode, 2, 'a resume cannot change how adaptive repetitions decide');
});
