/**
 * How much does emuflock add to what it measures? Boots the 1000-disk case through the
 * `emuflock run` CLI and the same QEMU command line bare (no -S, no QMP, console to a file),
 * alternating, and prints the ratio of medians. Run with `make bench` (not a test: timings on
 * a shared machine belong side by side in one run, never in pass/fail checks).
 *   node dist/bench/overhead.js [--case cases/disks-1000.yaml] [--runs 5]
 */
import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dir as tmpDir } from 'tmp-promise';
import { median } from '../harness/analyze/index.js';
import { loadCase } from '../harness/case/load.js';
import { planTrials } from '../harness/case/matrix.js';
import { resolveSystemVariant } from '../harness/variants/system-variant.js';
import { ensureGuestAssets } from '../harness/guest/assets.js';
import { archSpec } from '../harness/arch/index.js';
import { readJournal } from '../harness/journal/journal.js';
import { createDisks } from '../harness/run/qemu/disks.js';
import { qemuArgs } from '../harness/run/qemu/qemu-command.js';
import { projectRoot } from '../harness/core/paths.js';

const { values } = parseArgs({ options: { case: { type: 'string', default: 'cases/disks-1000.yaml' }, runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const caseFile = values.case!;
const cli = join(projectRoot(), 'dist', 'harness', 'cli.js');

const loaded = await loadCase(caseFile);
const trial = planTrials([loaded]).trials[0]!;
const assets = await ensureGuestAssets(loaded.spec.arch);
const variant = await resolveSystemVariant(archSpec(loaded.spec.arch).qemuBinary);

/** The whole `emuflock run` invocation, wall clock, plus what emuflock itself measured spawn→exit. */
async function viaEmuflock(): Promise<{ wallMs: number; measuredMs: number; uptimeS: number }> {
  const results = await tmpDir({ unsafeCleanup: true });
  const t0 = performance.now();
  await execa('node', [cli, 'run', caseFile, '--results', results.path], { stdio: 'ignore' });
  const wallMs = performance.now() - t0;
  const runDir = (await execa('ls', [results.path])).stdout.trim();
  const [obs] = await readJournal(join(results.path, runDir, 'journal.jsonl'));
  await results.cleanup();
  if (obs?.outcome !== 'ok') throw new Error(`emuflock trial failed: ${obs?.error?.message}`);
  return { wallMs, measuredMs: obs.phases.totalMs! + obs.phases.shutdownMs!, uptimeS: obs.guest.uptimeAtReadyS! };
}

/** The same guest and disks, QEMU alone: started running, console to a file, timed spawn→exit. */
async function bare(): Promise<{ ms: number; uptimeS: number }> {
  const dir = await tmpDir({ unsafeCleanup: true });
  const disks = await createDisks(trial.params, dir.path);
  const consoleLog = join(dir.path, 'console.log');
  const args = qemuArgs({
    params: trial.params,
    kernel: assets.kernel,
    initrd: assets.initrd,
    disks,
    qmpSocket: 'unused',
    consoleSocket: 'unused',
    dataDir: variant.dataDir,
    guestArgs: [`emuflock.disks=${trial.params.disks}`, 'emuflock.probe_timeout=600'],
  });
  const bareArgs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1] ?? '';
    if (a === '-S') continue;
    if ((a === '-chardev' && next.includes('id=qmp')) || a === '-mon') {
      i++;
      continue;
    }
    if (a === '-chardev' && next.includes('id=console')) {
      bareArgs.push('-chardev', `file,id=console,path=${consoleLog}`);
      i++;
      continue;
    }
    bareArgs.push(a);
  }
  const t0 = performance.now();
  await execa(variant.binary, bareArgs, { stdio: 'ignore' });
  const ms = performance.now() - t0;
  const console = await readFile(consoleLog, 'utf8');
  await dir.cleanup();
  const ready = console.match(new RegExp(`EMUFLOCK ready disks=${trial.params.disks} uptime=([0-9.]+)`));
  if (!ready) throw new Error('bare boot did not reach the ready marker');
  return { ms, uptimeS: Number(ready[1]) };
}

const emu: { wallMs: number; measuredMs: number; uptimeS: number }[] = [];
const plain: { ms: number; uptimeS: number }[] = [];
for (let i = 0; i < runs; i++) {
  // Alternate which goes first, so that a drifting host favours neither.
  const order = i % 2 === 0 ? ['emuflock', 'bare'] : ['bare', 'emuflock'];
  for (const which of order) {
    if (which === 'emuflock') emu.push(await viaEmuflock());
    else plain.push(await bare());
    process.stderr.write(`run ${i + 1}/${runs} ${which}: ${((which === 'emuflock' ? emu.at(-1)!.wallMs : plain.at(-1)!.ms) / 1000).toFixed(2)} s\n`);
  }
}
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mWall = median(emu.map((e) => e.wallMs));
const mMeasured = median(emu.map((e) => e.measuredMs));
const mBare = median(plain.map((p) => p.ms));
console.log(`case: ${caseFile} (${trial.params.disks} disks, ${variant.record.qemuVersion}), ${runs} runs each, alternating`);
console.log(`bare QEMU, spawn to exit:                 median ${s(mBare)}  [${plain.map((p) => s(p.ms)).join(', ')}]`);
console.log(`emuflock run, whole command:              median ${s(mWall)}  [${emu.map((e) => s(e.wallMs)).join(', ')}]`);
console.log(`emuflock's own measure, spawn to exit:    median ${s(mMeasured)}`);
console.log(`ratio emuflock run / bare:                ${(mWall / mBare).toFixed(3)}`);
console.log(`ratio emuflock-measured / bare:           ${(mMeasured / mBare).toFixed(3)}`);
// Where a difference lies: the guest's own clock from kernel start to its ready marker is the
// same under both unless the guest itself runs slower.
const upEmu = median(emu.map((e) => e.uptimeS));
const upBare = median(plain.map((p) => p.uptimeS));
console.log(`guest uptime at ready, bare / emuflock:   ${upBare.toFixed(2)} s / ${upEmu.toFixed(2)} s (ratio ${(upEmu / upBare).toFixed(3)})`);
