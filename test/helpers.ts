import { rmSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCase } from '../harness/case/load.js';
import { EmuflockError } from '../harness/core/errors.js';
import { planTrials, type Trial } from '../harness/case/matrix.js';
import { projectRoot } from '../harness/core/paths.js';

// What every test file may use, kept light: each file is its own process, and what this
// module imports every file loads. Booting guests needs more: boot-helpers.ts.

// The same whether this file runs compiled (dist/test/) or from source.
export const repoRoot = projectRoot();
export const cliPath = join(repoRoot, 'dist', 'harness', 'cli.js');

/**
 * The command that starts emuflock as a user does. Run through `npx tap`, tap puts its process
 * tracker into NODE_OPTIONS of every process a test starts (whatever env the test passes),
 * which doubles each emuflock start-up (0.6 s → 1.2 s here); `env -u` drops it before node
 * starts. (scripts/run-tests.mjs runs test files without it.)
 */
export function cliCommand(args: string[]): [string, string[]] {
  return ['env', ['-u', 'NODE_OPTIONS', 'node', cliPath, ...args]];
}

const madeDirs: string[] = [];
// Test directories hold disk images and cloned QEMU trees (~300 MB for bisect): gone at exit.
process.on('exit', () => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

export async function tempDir(prefix = 'emuflock-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/** Runs the built CLI the way a user does; never throws on a non-zero exit. */
export async function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  // Imported here: most test files never start a process, and execa is a hundred modules.
  const { execa } = await import('execa');
  return execa(...cliCommand(args), { reject: false, cwd: opts.cwd ?? repoRoot, env: opts.env ?? {}, all: true });
}

export async function writeCase(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return file;
}

export async function listFiles(dir: string): Promise<string[]> {
  return readdir(dir, { recursive: true }).catch(() => []);
}

/** The trials of an inline case, for tests that boot through the library. */
export function trialsOf(yaml: string, caseName = 'inline'): Trial[] {
  return planTrials([parseCase(yaml, `${caseName}.yaml`)]).trials;
}

/** The input error a case text gets, as its one message; fails the test if it loads. */
export function caseErrorOf(yaml: string, shown = 'cases/x.yaml'): string {
  try {
    parseCase(yaml, shown);
  } catch (e) {
    if (e instanceof EmuflockError && e.kind === 'input') return e.message;
    throw e;
  }
  throw new Error('expected an input error');
}
