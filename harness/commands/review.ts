import { Option, type Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { integer, qemuSourceOption, repetitions, statisticsOptions, variantsFileOption } from './cli-options.js';
import { inputError } from '../core/errors.js';
import { printable } from '../core/printable.js';
import { resultsRoot } from '../core/paths.js';
import { defaultStatistics } from '../compare/statistics-defaults.js';
import { defaultMaxRepetitions } from '../review/review-defaults.js';
import type { PhaseName } from '../record/phases.js';

/** `emuflock review`: a posted series measured against its base, answered in review.txt. */
export function registerReviewCommand(program: Command, { log, shown }: CliIo): void {
  const cmd = program
    .command('review')
    .description('apply a posted patch series (mbox, directory of *.patch, or one patch) with git am, build it and its base, boot both interleaved, and write a plain-text reply with the verdicts: results/<run-id>/review.txt')
    .argument('<series>', 'an mbox file (git format-patch --stdout, a list archive, b4), a directory of *.patch files, or one patch')
    .requiredOption('--case <file>', 'the case to boot (YAML): its guest and points; its variants are replaced by the base and base + series')
    .option('--base <variant>', "the variant the series is applied to (default: the case's first; system stands for Debian's source of that QEMU, the upstream variant)")
    .option('--tested-by <who>', 'add "Tested-by: WHO" to the reply when no point is SLOWER and no boot with the series failed, e.g. "Ada Lovelace <ada@example.org>"')
    .addOption(new Option('--max-repetitions <n>', `adaptive repetitions stop here, 1 to 1000 (default: the case's max, else ${defaultMaxRepetitions})`).argParser(repetitions))
    .option('--results <dir>', 'results directory')
    .addOption(new Option('--seed <n>', 'seed of the trial order').argParser(integer))
    .addOption(variantsFileOption())
    .addOption(qemuSourceOption('the base'));
  statisticsOptions(cmd, defaultStatistics, 'verdict and adaptive repetitions: ')
    .addHelpText(
      'after',
      '\nThe series: replies (Re:) and the cover letter ([PATCH 0/N]) are left out, patches are applied in\n' +
        '[PATCH n/N] order (also [PATCH v2 n/N], [RFC PATCH n/N]; of several versions, the newest), and a\n' +
        'missing number stops the review before anything is built. --metric (default totalMs) decides the\n' +
        'exit status and Tested-by; review.txt shows every phase.\n' +
        '\nExamples:\n  emuflock review ~/mail/v2-blockdev-drive-unit.mbox --case cases/disks-1000.yaml\n' +
        '  emuflock review outgoing/ --case my-case.yaml --base fixed --tested-by "Ada Lovelace <ada@example.org>"\n' +
        '\nExit status: 0 no point SLOWER, 1 a point SLOWER or a boot with the series failed, 2 bad series\n(incomplete, malformed, does not apply) or usage, 3 something missing on the host.',
    )
    .action(async (series: string, opts: ReviewCliOptions) => {
      // One line: a line break would add a trailer (or a header) of the caller's choosing.
      if (opts.testedBy !== undefined && (/\p{Cc}/u.test(opts.testedBy.trim()) || !/^[^<>]+<[^<>@\s]+@[^<>\s]+>$/.test(opts.testedBy.trim()))) {
        throw inputError(`--tested-by "${printable(opts.testedBy)}": expected "Name <address>" on one line, as in a Tested-by: trailer`);
      }
      const { reviewSeries } = await import('../review/review.js');
      const result = await reviewSeries({
        series,
        caseFile: opts.case,
        rule: { metric: opts.metric, threshold: opts.threshold, alpha: opts.alpha },
        resultsRoot: resultsRoot(opts.results),
        argv: ['emuflock', ...process.argv.slice(2)],
        log,
        ...(opts.base ? { base: opts.base } : {}),
        ...(opts.testedBy ? { testedBy: opts.testedBy.trim() } : {}),
        ...(opts.maxRepetitions !== undefined ? { maxRepetitions: opts.maxRepetitions } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.variants ? { variantsFile: opts.variants } : {}),
        ...(opts.qemuSrc ? { qemuSrc: opts.qemuSrc } : {}),
      });
      process.stdout.write(result.text + '\n');
      process.stdout.write(`review: ${shown(result.reviewFile)}\n`);
      if (result.reportDir) process.stdout.write(`report: ${shown(result.reportDir)}/report.html\n`);
      if (result.verdict.slower || result.verdict.failedSeriesTrials.length > 0) process.exitCode = 1;
    });
}

/** `emuflock mail`: one of patches/<series>/ as mail, with a measured cover letter, checkpatch-clean. */
export function registerMailCommand(program: Command, { log, shown }: CliIo): void {
  program
    .command('mail')
    .description('write patches/<series>/ as git format-patch mail onto a base, with a cover letter carrying the latest measured comparison of the series, after the base tree\'s scripts/checkpatch.pl passes')
    .argument('<series>', 'the name of a series in patches/ (a folder name, no path), e.g. drive-unit-lookup')
    .requiredOption('--base <source>', 'what the mail is for: a variant (its source and own series, e.g. upstream) or a source (debian, PATH[@REV], a tarball)')
    .option('--signoff', 'add your Signed-off-by (git config user.name/user.email) and let checkpatch.pl check it; never added otherwise')
    .option('-o, --output <dir>', 'where the mails go: a new folder, or one of earlier mails, replaced whole (default: outgoing/<series>)')
    .option('--results <dir>', 'where to look for the latest run that compared the series (default: results)')
    .addOption(variantsFileOption())
    .addHelpText(
      'after',
      '\nExamples:\n  emuflock mail drive-unit-lookup --base upstream\n  emuflock mail virtio-pci-batch-routes --base ~/src/qemu@v10.2.0 --signoff -o outgoing/\n' +
        '\nThen: git send-email --to qemu-devel@nongnu.org outgoing/drive-unit-lookup/*.patch\n' +
        'Exit status: 0 written, 1 checkpatch.pl found problems (printed; nothing written), 2 the series does\nnot apply or bad usage, 3 something missing on the host.',
    )
    .action(async (series: string, opts: { base: string; signoff?: boolean; output?: string; results?: string; variants?: string }) => {
      const { mailSeries } = await import('../review/mail.js');
      const { checkpatchTotal } = await import('../review/checkpatch.js');
      const result = await mailSeries({
        series,
        base: opts.base,
        signoff: opts.signoff === true,
        outDir: opts.output ?? `outgoing/${series}`,
        resultsRoot: resultsRoot(opts.results),
        threshold: defaultStatistics.threshold,
        alpha: defaultStatistics.alpha,
        log,
        ...(opts.variants ? { variantsFile: opts.variants } : {}),
      });
      for (const r of result.checkpatch) process.stdout.write(`checkpatch.pl ${r.patch}: ${checkpatchTotal(r)}\n`);
      process.stdout.write(result.measuredRun ? `cover letter: measured by ${shown(result.measuredRun)}\n` : 'cover letter: no run compared this series yet (it says so)\n');
      for (const f of result.files) process.stdout.write(`${shown(f)}\n`);
    });
}

interface ReviewCliOptions {
  case: string;
  base?: string;
  testedBy?: string;
  maxRepetitions?: number;
  results?: string;
  seed?: number;
  variants?: string;
  qemuSrc?: string;
  threshold: number;
  alpha: number;
  metric: PhaseName;
}
