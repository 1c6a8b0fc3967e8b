#!/usr/bin/env node
// Runs the tap suite and ends with one plain line, "N passed, N failed", counting the tests
// directly inside each test file (tap's own summary counts assertions and is not for CI).
// Extra arguments go to tap (e.g. a single test file).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const child = spawn('npx', ['tap', '--reporter=tap', ...(args.length ? args : [])], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let passed = 0;
let failed = 0;
let skipped = 0;
let fileFailures = 0; // depth-1 failures inside the current file
const lines = createInterface({ input: child.stdout });
lines.on('line', (line) => {
  process.stdout.write(line + '\n');
  const inFile = line.match(/^ {4}(not )?ok \d+ - .*?(# (SKIP|TODO)\b.*)?$/i);
  if (inFile) {
    if (inFile[2]) skipped++;
    else if (inFile[1]) {
      failed++;
      fileFailures++;
    } else passed++;
    return;
  }
  const file = line.match(/^(not )?ok \d+ - /);
  if (file) {
    // A file that failed outside its tests (a syntax error, a crash) still counts as a failure.
    if (file[1] && fileFailures === 0) failed++;
    fileFailures = 0;
  }
});
child.on('close', (code) => {
  if (code !== 0 && failed === 0) failed++;
  process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  process.exit(code ?? 1);
});
