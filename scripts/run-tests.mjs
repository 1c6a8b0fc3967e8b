#!/usr/bin/env node
// Runs the tap suite in two parts and ends with one plain line per part and a total:
// "unit: N passed, N failed in 52s", the slowest files of each, then "N passed, N failed"
// (tests directly inside each file; tap's own summary counts assertions and is not for CI).
//
//   node scripts/run-tests.mjs            unit, then e2e
//   node scripts/run-tests.mjs unit       no QEMU, no network: every file outside test/e2e and test/hostile
//   node scripts/run-tests.mjs e2e        real QEMU builds and boots (test/e2e) and the hostile-input suite
//   node scripts/run-tests.mjs FILE...    those files only
//
// Unit files run two at a time (they are CPU-light); e2e files one at a time, since their
// guests' timings and the host's 2 cores are what they measure.
//
// Tests run compiled: the script first runs tsc (incremental: a second or two when nothing
// changed), which also type-checks the tests, then hands tap dist/test/**/*.test.js. Loading
// each test file through a TypeScript loader instead cost about 0.8 s per file.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
const parts = {
  unit: { files: all.filter((f) => !isE2e(f)), jobs: 2 },
  e2e: { files: all.filter(isE2e), jobs: 1 },
};

const args = process.argv.slice(2);
const plan =
  args.length === 0
    ? ['unit', 'e2e'].map((name) => ({ name, ...parts[name] }))
    : args.every((a) => a in parts)
      ? args.map((name) => ({ name, ...parts[name] }))
      : [{ name: 'selected', files: args, jobs: 1 }];

/** test/x.test.ts → dist/test/x.test.js: what tap runs. */
const compiled = (file) => join('dist', file.replace(/\.ts$/, '.js'));
const source = (file) => file.replace(/^dist\//, '').replace(/\.js$/, '.ts');

function compile() {
  const started = Date.now();
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('tsc failed: no test was run\n');
    process.exit(1);
  }
  process.stdout.write(`# compiled in ${duration(Date.now() - started)}\n`);
}

function runPart(part) {
  return new Promise((done) => {
    const started = Date.now();
    const tally = { passed: 0, failed: 0, skipped: 0, files: [] };
    let fileFailures = 0; // depth-1 failures inside the current file
    const child = spawn('npx', ['tap', '--reporter=tap', `--jobs=${part.jobs}`, ...part.files.map(compiled)], { stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout }).on('line', (line) => {
      process.stdout.write(line + '\n');
      const inFile = line.match(/^ {4}(not )?ok \d+ - .*?(# (SKIP|TODO)\b.*)?$/i);
      if (inFile) {
        if (inFile[2]) tally.skipped++;
        else if (inFile[1]) {
          tally.failed++;
          fileFailures++;
        } else tally.passed++;
        return;
      }
      const file = line.match(/^(not )?ok \d+ - (\S+).*?# time=([\d.]+)ms/);
      if (file) {
        // A file that failed outside its tests (a syntax error, a crash) still counts as a failure.
        if (file[1] && fileFailures === 0) tally.failed++;
        fileFailures = 0;
        tally.files.push({ file: source(file[2]), ms: Number(file[3]) });
      }
    });
    child.on('close', (code) => {
      if (code !== 0 && tally.failed === 0) tally.failed++;
      done({ ...part, ...tally, code, ms: Date.now() - started });
    });
  });
}

const duration = (ms) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

compile();
const results = [];
for (const part of plan) results.push(await runPart(part));
process.stdout.write('\n');
for (const r of results) {
  process.stdout.write(`${r.name}: ${r.files.length} files, ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''} in ${duration(r.ms)}\n`);
  const slowest = [...r.files].sort((a, b) => b.ms - a.ms).slice(0, 5);
  for (const f of slowest) process.stdout.write(`  ${duration(f.ms).padStart(6)}  ${f.file}\n`);
}
const total = results.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
process.stdout.write(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}\n`);
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
