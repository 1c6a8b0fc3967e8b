#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmuflockError } from './core/errors.js';
import { forgetCallersRepository } from './core/git-env.js';
import { printableMessage } from './core/printable.js';
import { emuflockVersion } from './core/version.js';
import type { CliIo } from './commands/cli-io.js';
import { registerRunCommand } from './commands/run.js';
import { registerCompareCommand } from './commands/compare.js';
import { registerReportCommand } from './commands/report.js';
import { registerBuildCommand } from './commands/build.js';
import { registerAssetsCommand } from './commands/assets.js';
import { registerBisectCommands } from './commands/bisect.js';
import { registerPipelineCommands } from './commands/pipeline.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerMailCommand, registerReviewCommand } from './commands/review.js';
import { registerTalkCommand } from './commands/talk.js';
import { registerHistoryCommands } from './commands/history.js';
import { registerSeriesMatrixCommand } from './commands/series-matrix.js';

forgetCallersRepository();
const log = (line: string) => process.stderr.write(line + '\n');
// `emuflock ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const shown = (p: string) => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p));
const io: CliIo = { log, shown };

const program = new Command()
  .name('emuflock')
  .description('QEMU/KVM scale and patch-validation harness: boot guests with 1 to 4096 disks, time start-up by phase, compare QEMU variants.')
  .version(emuflockVersion)
  .showHelpAfterError('(run with --help for usage)')
  // commander quotes the bad argument in its message: escaped and cut like every other echo.
  .configureOutput({ outputError: (text, write) => write(printableMessage(text.trimEnd()) + '\n') })
  .exitOverride();

// Commands that only read a run and write beside it need no temporary folder; every other one
// is refused up front when TMPDIR is unusable, before anything is fetched, built or written.
const readOnlyCommands = new Set(['compare', 'report', 'merge', 'pipeline', 'gitlab']);
program.hook('preAction', async (_program, action) => {
  if (readOnlyCommands.has(action.name())) return;
  const { assertTempDir } = await import('./core/temp-dir.js');
  await assertTempDir();
});

// In the order `emuflock --help` lists them. Each registers its options only and imports what it
// does when it runs: loading every command's modules cost 0.9 s of CPU per start, for --help too.
registerRunCommand(program, io);
registerReviewCommand(program, io);
registerMailCommand(program, io);
registerCompareCommand(program, io);
registerReportCommand(program, io);
registerBuildCommand(program, io);
registerSeriesMatrixCommand(program, io);
registerAssetsCommand(program, io);
registerBisectCommands(program, fileURLToPath(import.meta.url), log);
registerHistoryCommands(program, fileURLToPath(import.meta.url), io);
registerPipelineCommands(program, io);
registerDoctorCommand(program);
registerTalkCommand(program, io);

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof EmuflockError) {
      log(`emuflock: ${printableMessage(e.message)}`);
      process.exitCode = e.exitCode;
      return;
    }
    log(`emuflock: internal error (please report it with the command line): ${(e as Error)?.stack ?? String(e)}`);
    process.exitCode = 1;
  }
}

await main();
