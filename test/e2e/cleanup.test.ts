import t from 'tap';
import { execa } from 'execa';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliCommand, tempDir, writeCase } from '../helpers.js';
import { goneWithin, running } from '../boot-helpers.js';

// No QEMU outlives the harness, however the harness ends.

async function childQemu(parentPid: number, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    // The trial's QEMU (its QMP socket), not one the host checks ask for `-machine help`.
    const r = await execa('pgrep', ['-P', String(parentPid), '-f', 'qemu-system-s390x.*qmp\\.sock'], { reject: false });
    const pid = Number(r.stdout.trim().split('\n')[0]);
    if (pid > 0) return pid;
    await sleep(100);
  }
  throw new Error('the harness never started QEMU');
}

async function startLongRun() {
  const dir = await tempDir();
  // Long timeouts: the guest would take minutes to give up on a disk that never comes.
  const file = await writeCase(dir, 'slow', 'disks: 32\nrepetitions: 3\ntimeouts: {diskProbeS: 600}\n');
  const harness = execa(...cliCommand(['run', file, '--results', join(dir, 'results')]), { reject: false, cwd: dir });
  const qemu = await childQemu(harness.pid!, 30_000);
  return { dir, harness, qemu };
}

t.test('SIGKILL of the harness mid-boot takes QEMU down (parent-death signal)', { timeout: 90_000 }, async (t) => {
  const { harness, qemu } = await startLongRun();
  t.ok(await running(qemu), 'QEMU is running');
  harness.kill('SIGKILL');
  await harness;
  t.ok(await goneWithin(qemu, 5_000), `QEMU ${qemu} is gone after the harness was SIGKILLed`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  t.test(`${signal} stops the run, kills QEMU and says how to resume`, { timeout: 90_000 }, async (t) => {
    const { harness, qemu } = await startLongRun();
    harness.kill(signal);
    const r = await harness;
    t.ok(await goneWithin(qemu, 5_000), `QEMU ${qemu} is gone`);
    t.equal(r.exitCode, signal === 'SIGINT' ? 130 : 143);
    t.match(r.stderr, /continue with: emuflock run --resume /);
  });
}
