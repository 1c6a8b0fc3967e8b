#!/usr/bin/env node
// Runs the tap suite in two parts and ends with one plain line per part and a total:
// "unit: N passed, N failed in 52s", the slowest files of each (wall and CPU time, the CPU of
// the QEMUs and builds a file started included), then "N passed, N failed" (tests directly
// inside each file; tap's own summary counts assertions and is not for CI).
//
//   node scripts/run-tests.mjs            unit, then e2e
//   node scripts/run-tests.mjs unit       no QEMU, no network: every file outside test/e2e and test/hostile
//   node scripts/run-tests.mjs e2e        real QEMU builds and boots (test/e2e) and the hostile-input suite
//   node scripts/run-tests.mjs FILE...    those files only
//
// Unit files run two at a time (they are CPU-light). E2e files too, except those whose
// assertions rest on a verdict from a few measured times (`measuring` below): those run after
// the others, one at a time, with the host's 2 cores to themselves. The rest assert what
// happened (outcomes, journals, exit codes, processes), under timeouts sized for a loaded host.
//
// Tests run compiled: the script first drops compiled files whose source is gone
// (scripts/prune-dist.mjs), then runs tsc (incremental: a few seconds when nothing
// changed), which also type-checks the tests, then runs dist/test/**/*.test.js.
//
// Each file runs as `node FILE`: a tap test file prints its own TAP. Not through tap's runner:
// on Node 20 the runner loads its process tracker into every test process (an ESM loader hook
// that sees each module load), which cost 0.9 s per file here, half of the unit part
// (72 files: 1m45s through the runner, 56 s as plain processes, two at a time).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const e2eDirs = ['test/e2e', 'test/hostile'];

function testFiles(dir) {
  return readdirSync(dir)
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? testFiles(p) : p.endsWith('.test.ts') ? [p] : [];
    })
    .sort();
}

const all = testFiles('test');
const isE2e = (f) => e2eDirs.some((d) => f.startsWith(d + '/'));
// E2e files whose FASTER or SLOWER rests on 5 + 5 trials wholly apart (p < 0.01 from a rank
// test) with gaps of 40% or less: a second test beside them would be part of what they measure.
// Not the bisect: its gap is ×5 (0.7 against 3.8 s), and it is built for a host whose load
// changes (a commit near the midpoint is measured beside both ends), which running beside other
// tests is; nor compare's, ×20 (the disk probe of 8 disks against 512: 0.1 against 2.3 s); nor
// adaptive repetitions, whose test holds whatever the verdict.
const measuring = new Set(['drive-unit-lookup', 'review'].map((n) => `test/e2e/${n}.test.ts`));
// Two workers take files from one queue: started longest first, they end near together, where
// alphabetical order once left the 2-minute hostile-input file to start last, one core idle
// while it ran. These took a minute or more of wall time beside another file; the rest follow
// in their order.
const longest = ['e2e/bisect', 'e2e/history', 'hostile/hostile-input', 'e2e/run-integrity', 'e2e/pipeline', 'e2e/compare', 'e2e/adaptive'].map((n) => `test/${n}.test.ts`);
const longestFirst = (files) => [...longest.filter((f) => files.includes(f)), ...files.filter((f) => !longest.includes(f))];
// Shared first: their failures show early; the measuring files end the run one at a time.
const e2eGroups = [
  { files: longestFirst(all.filter((f) => isE2e(f) && !measuring.has(f))), jobs: 2 },
  { files: all.filter((f) => measuring.has(f)), jobs: 1 },
];
// timeoutS: seconds a file may run before it is stopped and counted as failed (tap's `timeout`).
const parts = {
  unit: { files: all.filter((f) => !isE2e(f)), jobs: 2, timeoutS: 300 },
  e2e: { files: e2eGroups.flatMap((g) => g.files), timeoutS: 2400, groups: e2eGroups },
};

const args = process.argv.slice(2);
const plan =
  args.length === 0
    ? ['unit', 'e2e'].map((name) => ({ name, ...parts[name] }))
    : args.every((a) => a in parts)
      ? args.map((name) => ({ name, ...parts[name] }))
      : [{ name: 'selected', files: args, jobs: 1, timeoutS: parts.e2e.timeoutS }];

const missing = plan.flatMap((p) => p.files).filter((f) => !existsSync(f) || !f.endsWith('.test.ts'));
if (missing.length) {
  process.stderr.write(`not a test file: ${missing.join(' ')} (give test/**/*.test.ts files, or unit, or e2e)\n`);
  process.exit(2);
}

/** test/x.test.ts → dist/test/x.test.js: what runs. */
const compiled = (file) => join('dist', file.replace(/\.ts$/, '.js'));

function compile() {
  const started = Date.now();
  spawnSync(process.execPath, ['scripts/prune-dist.mjs'], { stdio: 'inherit' });
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('tsc failed: no test was run\n');
    process.exit(1);
  }
  process.stdout.write(`# compiled in ${duration(Date.now() - started)}\n`);
}

// The test processes running now: a signal to this script goes to them too (a Ctrl-C reaches
// them through the terminal anyway; a SIGTERM from CI's timeout would not).
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) killGroup(child, signal);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

/**
 * One test file in a process of its own. Its tests are the TAP lines at the left margin;
 * subtests are indented. `echo` gets each line as it comes, for files whose progress is worth
 * watching. The QEMUs a test starts die with it (emuflock's own guarantee, which e2e tests check).
 */
function runFile(file, timeoutS, echo) {
  return new Promise((done) => {
    const started = Date.now();
    const result = { file, passed: 0, failed: 0, skipped: 0, output: [], timedOut: false };
    // tap's own NODE_OPTIONS, should a caller run this script under tap, stay out.
    const { NODE_OPTIONS: _, ...env } = process.env;
    // Through a shell whose `times` then reports the CPU the file used, its QEMUs and builds
    // included (children count once reaped): what a file costs a 2-core host, beside its wall time.
    // A process group of its own, so that a signal reaches the test process and not only its shell.
    // Fd 3 is the shell's alone: the test and its QEMUs, whose fds tests count, never see it.
    const child = spawn('bash', ['-c', '"$0" "$1" 3>&-; status=$?; times >&3; exit $status', process.execPath, compiled(file)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...env, TAP_TIMEOUT: String(timeoutS) },
    });
    let times = '';
    child.stdio[3].on('data', (d) => (times += d));
    running.add(child);
    // tap stops a file at TAP_TIMEOUT itself; this is for a file that no longer answers.
    const timer = setTimeout(() => {
      result.timedOut = true;
      killGroup(child, 'SIGKILL');
    }, (timeoutS + 30) * 1000);
    const onLine = (line) => {
      result.output.push(line);
      if (echo) echo(line);
      const test = line.match(/^(not )?ok \d+ - .*?(# (SKIP|TODO)\b.*)?$/i);
      if (!test) return;
      if (test[2]) result.skipped++;
      else if (test[1]) result.failed++;
      else result.passed++;
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', (line) => {
      result.output.push(line);
      if (echo) echo(line);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      // A file that failed outside its tests (a syntax error, a crash, a timeout) still counts.
      if ((code !== 0 || result.timedOut) && result.failed === 0) result.failed++;
      done({ ...result, code, signal, ms: Date.now() - started, cpuMs: childrenCpuMs(times) });
    });
  });
}

/** The second line of bash's `times` ("0m12.345s 0m3.210s": children's user and system time), in ms. */
function childrenCpuMs(times) {
  const line = times.split('\n')[1] ?? '';
  const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return secs.length === 2 ? (secs[0] + secs[1]) * 1000 : undefined;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function fileLine(r) {
  const status = r.failed > 0 ? 'not ok' : 'ok';
  const counts = `${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}${r.skipped ? `, ${r.skipped} skipped` : ''}`;
  const why = r.timedOut ? `, stopped after ${duration(r.ms)}` : r.failed && r.code !== 0 && r.passed + r.failed === 1 ? `, exit ${r.code ?? r.signal}` : '';
  return `${status} - ${r.file} (${counts}${why}) ${duration(r.ms)}${r.cpuMs === undefined ? '' : `, cpu ${duration(r.cpuMs)}`}\n`;
}

/** Files `jobs` at a time. One at a time: its TAP streams as it runs. Several: each file's result when it ends, with its whole output if it failed. */
async function runGroup({ files, jobs }, timeoutS, results) {
  const queue = [...files];
  const stream = jobs === 1;
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (stream) process.stdout.write(`# ${file}\n`);
      const r = await runFile(file, timeoutS, stream ? (line) => process.stdout.write(`    ${line}\n`) : undefined);
      if (!stream && r.failed > 0) process.stdout.write(r.output.map((l) => `    ${l}\n`).join(''));
      process.stdout.write(fileLine(r));
      results.push(r);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
}

async function runPart(part) {
  const started = Date.now();
  const results = [];
  for (const group of part.groups ?? [part]) await runGroup(group, part.timeoutS, results);
  const sum = (k) => results.reduce((n, r) => n + r[k], 0);
  return { ...part, results, passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped'), ms: Date.now() - started };
}

const duration = (ms) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

compile();
const done = [];
for (const part of plan) done.push(await runPart(part));
process.stdout.write('\n');
for (const r of done) {
  process.stdout.write(`${r.name}: ${r.files.length} files, ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''} in ${duration(r.ms)}\n`);
  const slowest = [...r.results].sort((a, b) => b.ms - a.ms).slice(0, 5);
  const cpu = (f) => (f.cpuMs === undefined ? '' : `  cpu ${duration(f.cpuMs).padStart(6)}`);
  for (const f of slowest) process.stdout.write(`  ${duration(f.ms).padStart(6)}${cpu(f)}  ${f.file}\n`);
  const cpuMs = r.results.reduce((n, f) => n + (f.cpuMs ?? 0), 0);
  if (cpuMs > 0) process.stdout.write(`  cpu ${duration(cpuMs)} in all (user + system, the files and what they started)\n`);
  const failedFiles = r.results.filter((f) => f.failed > 0);
  if (failedFiles.length) process.stdout.write(`  failed: ${failedFiles.map((f) => f.file).join(' ')}\n`);
}
const total = done.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
process.stdout.write(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}\n`);
process.exit(total.failed > 0 ? 1 : 0);
