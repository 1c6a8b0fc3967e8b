import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dir as tmpDir } from 'tmp-promise';
import { loadCase } from '../case/load.js';
import { confinedPath } from '../core/confine.js';
import { checkWritableRoot } from '../core/files.js';
import { planTrials } from '../case/matrix.js';
import { checkVariantSources } from '../case/variant-sources.js';
import { checkPlanFitsHost } from '../run/host/host-checks.js';
import { displayPath } from '../core/yaml-input.js';
import { openedRun } from '../journal/opened-run.js';
import { qemuSource, seriesForSource } from '../variants/resolve.js';
import { loadVariantDefs } from '../variants/variant-defs.js';
import { writeReport } from '../report/index.js';
import type { AdaptiveRule } from '../run/schedule/adaptive.js';
import { runCases } from '../run/schedule/runner.js';
import { emuflockVersion } from '../core/version.js';
import { withBaseTree } from './base-tree.js';
import { amPatches, formatSeries } from './git-am.js';
import { readMailInput } from './mail-message.js';
import { patchLabel } from './patch-subject.js';
import { phaseComparisons } from './phase-comparisons.js';
import { selectSeries, type PostedSeries } from './posted-series.js';
import { chooseBase, reviewCase, seriesSlug } from './review-case.js';
import { reviewText, reviewVerdict, type ReviewVerdict } from './review-text.js';

export interface ReviewOptions {
  series: string;
  caseFile: string;
  base?: string;
  testedBy?: string;
  maxRepetitions?: number;
  rule: AdaptiveRule;
  seed?: number;
  resultsRoot: string;
  variantsFile?: string;
  qemuSrc?: string;
  argv: string[];
  log: (line: string) => void;
}

export interface ReviewResult {
  runDir: string;
  reviewFile: string;
  text: string;
  verdict: ReviewVerdict;
  reportDir?: string;
}

/**
 * `emuflock review`: a posted series in, a measured reply out. Everything that can fail on the
 * input (the mail, the case, applying the series) fails before anything is built or booted.
 */
export async function reviewSeries(opts: ReviewOptions): Promise<ReviewResult> {
  const shownSeries = displayPath(opts.series);
  const posted = selectSeries(await readMailInput(opts.series), shownSeries);
  for (const s of posted.skipped) opts.log(`skipped ${s.where} "${s.subject}": ${s.why}`);
  opts.log(`series: ${posted.subject} (${posted.patches.length} patch${posted.patches.length > 1 ? 'es' : ''})`);

  const userCase = await loadCase(opts.caseFile);
  const shared = await loadVariantDefs(opts.variantsFile);
  const baseDef = chooseBase(userCase, shared, opts.base);
  const slug = seriesSlug(posted.cover ? titleOf(posted) : posted.patches[0]!.tags.title, posted.version, baseDef.name);
  // The case as the review runs it, and all that can be checked of it without QEMU's source
  // (its series, the host's memory and NICs), before that source is fetched (400 MB) or built.
  const c = reviewCase(userCase, baseDef, slug, opts.maxRepetitions);
  await checkWritableRoot(opts.resultsRoot, '--results');
  await checkPlanFitsHost([c], planTrials([c], opts.seed));
  await checkVariantSources([c], opts);
  const source = await qemuSource(opts.qemuSrc ?? baseDef.source, opts.log);
  const baseSeries = await seriesForSource(baseDef.series, source, `base ${baseDef.name}`);
  const baseLabel = [source.label, ...baseDef.series].join(' + ');

  const staging = await tmpDir({ prefix: 'emuflock-review-', unsafeCleanup: true });
  try {
    const seriesRoot = join(staging.path, 'series');
    // The slug comes from a posted subject: one folder name, whatever the mail said.
    const seriesDir = confinedPath(seriesRoot, slug, 'series name');
    await mkdir(seriesDir, { recursive: true });
    const reviewSeriesDef = await withBaseTree({ name: baseDef.name, source, series: baseSeries }, async (tree, head) => {
      const mails = posted.patches.map((p) => ({ label: `${patchLabel(p.tags)} "${p.tags.title}"`, where: p.message.where, raw: p.message.raw }));
      await amPatches(tree, mails, `${baseDef.name} (${baseLabel})`, staging.path);
      return formatSeries(tree, head, seriesDir, slug);
    });
    opts.log(`applied ${posted.patches.length} patch${posted.patches.length > 1 ? 'es' : ''} onto ${baseDef.name} (${baseLabel})`);

    const result = await runCases([c], {
      resultsRoot: opts.resultsRoot,
      argv: opts.argv,
      log: opts.log,
      adaptive: opts.rule,
      extraSeries: new Map([[slug, [reviewSeriesDef]]]),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.variantsFile ? { variantsFile: opts.variantsFile } : {}),
      ...(opts.qemuSrc ? { qemuSrc: opts.qemuSrc } : {}),
    });
    // The run keeps what was reviewed: the posted mails as selected, and the series as built.
    const kept = join(result.runDir, 'review');
    await mkdir(kept, { recursive: true });
    await cp(seriesDir, confinedPath(join(kept, 'series'), slug, 'series name'), { recursive: true });
    await writeFile(join(kept, 'posted.mbox'), mboxOf(posted));

    // The run as compare and the report read it, from what this process holds: the review case
    // is not parsed again, the journal not read again.
    const { manifest } = result;
    const run = openedRun({ dir: result.runDir, label: displayPath(result.runDir), manifest, observations: result.observations, cases: [c] });
    const reports = phaseComparisons(run, { threshold: opts.rule.threshold, alpha: opts.rule.alpha, baseline: baseDef.name });
    const reproduce = opts.argv.includes('--seed') ? opts.argv : [...opts.argv, '--seed', String(manifest.seed)];
    const input = {
      posted,
      base: { name: baseDef.name, label: baseLabel },
      seriesVariant: slug,
      caseName: userCase.name,
      reports,
      metric: opts.rule.metric,
      observations: run.observations,
      reproduce,
      emuflockVersion,
      ...(opts.testedBy ? { testedBy: opts.testedBy } : {}),
    };
    const text = reviewText(input);
    const reviewFile = join(result.runDir, 'review.txt');
    await writeFile(reviewFile, text);
    const report = await writeReport(run, { compare: { baseline: baseDef.name } }).catch((e: Error) => {
      opts.log(`report not written: ${e.message} (retry with: emuflock report ${displayPath(result.runDir)})`);
      return undefined;
    });
    return { runDir: result.runDir, reviewFile, text, verdict: reviewVerdict(input), ...(report ? { reportDir: report.dir } : {}) };
  } finally {
    await staging.cleanup().catch(() => {});
  }
}

/** The cover letter's title without its [PATCH 0/N]. */
function titleOf(posted: PostedSeries): string {
  return posted.subject.replace(/^(\s*\[[^\]]*\]\s*)+/, '');
}

function mboxOf(posted: PostedSeries): string {
  const messages = [...(posted.cover ? [posted.cover] : []), ...posted.patches.map((p) => p.message)];
  return messages.map((m) => `From emuflock-review Thu Jan  1 00:00:00 1970\n${m.raw.replace(/^(>*From )/gm, '>$1')}`).join('\n');
}
