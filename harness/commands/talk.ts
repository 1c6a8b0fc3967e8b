import type { Command } from 'commander';
import type { LoadedCase } from '../case/schema.js';
import { inputError } from '../core/errors.js';
import { printableMessage } from '../core/printable.js';
import { resultsRoot } from '../core/paths.js';
import { defaultStatistics } from '../compare/statistics-defaults.js';
import type { ClaimsFile } from '../talk/claims.js';
import type { OpenedRun } from '../journal/opened-run.js';
import type { CliIo } from './cli-io.js';
import { runAndReport } from './run.js';
import { listOption } from './cli-options.js';

const defaultClaims = 'cases/talk/claims.yaml';

/** `emuflock talk`: run every case of a talk's claims that fits this host, then "The talk, reproduced". */
export function registerTalkCommand(program: Command, io: CliIo): void {
  program
    .command('talk')
    .description('run the cases that check a talk\'s claims as one run, then write results/<run-id>/talk.md: the talk\'s figure, ours, the verdict or limit found, and the chart, per claim')
    .argument('[claims]', `the claims file (YAML): each claim with its case, or why it cannot run here`, defaultClaims)
    .option('--results <dir>', 'results directory')
    .option('--from <run>', 'write talk.md from a run made before (results/<run-id>), booting nothing')
    .option('--only <ids>', 'only these claims, comma-separated ids')
    .option('--no-preflight', 'boot every trial, even one that does not fit the host\'s limits (a limit claim then shows how QEMU fails)')
    .addHelpText(
      'after',
      `\nExamples:\n  emuflock talk                          # ${defaultClaims}: the KVM Forum 2015 talk\n  emuflock talk --only drain-before,drain-after\n  emuflock talk --from results/20261128-140000-seed-drain\n\nExit status: 0 every trial ok, 1 some trial failed (a limit claim expects that), 2 bad input.`,
    )
    .action(async (file: string, opts: { results?: string; from?: string; only?: string; preflight: boolean }) => {
      const { loadClaims } = await import('../talk/claims.js');
      const claims = selectClaims(await loadClaims(file), opts.only);
      const { openRun } = await import('../journal/opened-run.js');
      const run = opts.from ? await openRun(opts.from, { warn: io.log }) : await runClaims(claims, opts, io);
      const { writeTalk } = await import('../talk/write-talk.js');
      const { file: written, results } = await writeTalk(run, claims);
      process.stdout.write(`\nThe talk, reproduced (${results.length} claims): ${io.shown(written)}\n`);
      // Verdicts quote journal error messages: escaped like every other echo of recorded text.
      for (const r of results) process.stdout.write(printableMessage(`  ${r.claim.id}: talk ${r.claim.talk}; here ${r.ours}${r.verdict ? `; ${r.verdict}` : ''}`) + '\n');
    });
}

/** One run of every case the claims name, reported, then opened for talk.md. */
async function runClaims(claims: ClaimsFile, opts: { results?: string; preflight: boolean }, io: CliIo): Promise<OpenedRun> {
  const cases = await claimCases(claims);
  if (cases.length === 0) throw inputError(`${claims.shown}: no selected claim runs on this host`);
  const result = await runAndReport(
    cases,
    {
      resultsRoot: resultsRoot(opts.results),
      argv: ['emuflock', ...process.argv.slice(2)],
      log: io.log,
      adaptive: defaultStatistics,
      ...(opts.preflight === false ? { preflight: false } : {}),
    },
    io,
  );
  if (result.run) return result.run;
  const { openRun } = await import('../journal/opened-run.js');
  return openRun(result.runDir, { warn: io.log });
}

function selectClaims(claims: ClaimsFile, only: string | undefined): ClaimsFile {
  if (only === undefined) return claims;
  const ids = listOption('--only', only);
  const unknown = ids.filter((id) => !claims.claims.some((c) => c.id === id));
  if (unknown.length > 0) throw inputError(`${claims.shown}: no claim ${unknown.join(', ')} (claims: ${claims.claims.map((c) => c.id).join(', ')})`);
  return { ...claims, claims: claims.claims.filter((c) => ids.includes(c.id)), caseFiles: new Map([...claims.caseFiles].filter(([id]) => ids.includes(id))) };
}

/** Every case file the claims name, once each, validated before anything boots. */
async function claimCases(claims: ClaimsFile): Promise<LoadedCase[]> {
  const files = [...new Set(claims.caseFiles.values())];
  const { loadCase } = await import('../case/load.js');
  const cases: LoadedCase[] = [];
  for (const f of files) cases.push(await loadCase(f));
  return cases;
}
