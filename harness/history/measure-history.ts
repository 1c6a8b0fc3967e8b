import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { LoadedCase } from '../case/schema.js';
import { parseCase } from '../case/load.js';
import { EmuflockError } from '../core/errors.js';
import { onInterrupt } from '../core/process-group.js';
import { shellLine } from '../core/shell-quote.js';
import { manifestName, readManifest } from '../journal/run-dir.js';
import type { AdaptiveRule } from '../run/schedule/adaptive.js';
import type { Shard } from '../case/matrix.js';
import { runCases } from '../run/schedule/runner.js';
import { sourceName } from './findings.js';
import { sourceRoot, writeHistory, type HistoryFile } from './history-file.js';

export interface MeasureOptions {
  adaptive: AdaptiveRule;
  variantsFile?: string;
  preflight?: boolean;
  /** Only the sources whose position (from 1) is I, I + N, I + 2N, ...: one part of a history on N machines. */
  shard?: Shard;
  /** Measure again the sources passed over before (they did not build then: emuflock, patches or the cache changed since). */
  retryFailed?: boolean;
  /** The command to give again to continue after an interruption. */
  again: string[];
  log: (line: string) => void;
}

/**
 * Measures every source of the history that has no finished run: a source whose run ended is
 * not measured again, one whose run was interrupted is resumed (the run's own lock, journal
 * repair and plan replay), a new one gets a run under sources/<id>/; one passed over before
 * only with `retryFailed`. Every run builds its
 * variants with `--qemu-src` set to the source, through the build cache. A source that does
 * not build (or cannot be built: a series without a version for its release) is recorded as
 * failed and passed over, here and in the analysis.
 */
export async function measureHistory(dir: string, history: HistoryFile, opts: MeasureOptions): Promise<void> {
  const historyCase = parseCase(history.case.text, history.case.file, history.case.sha256);
  const stop = onInterrupt(() => opts.log(`history ${history.name}: stopped; what was measured is kept. Continue with: ${shellLine(opts.again)}`));
  try {
    for (const [i, s] of history.sources.entries()) {
      if (opts.shard && i % opts.shard.count !== opts.shard.index - 1) continue;
      const where = `[${i + 1}/${history.sources.length}] ${sourceName(s)}`;
      const rec = history.records[s.id];
      if (rec?.status === 'measured') {
        opts.log(`${where}: measured before (${rec.runDir})`);
        continue;
      }
      if (rec?.status === 'failed' && !opts.retryFailed) {
        opts.log(`${where}: passed over before (${rec.reason}); --retry-failed to try again`);
        continue;
      }
      opts.log(`${where}: measuring`);
      try {
        const runDir = await measureRun(sourceRoot(dir, s.id), historyCase, opts, s.spec);
        history.records[s.id] = { status: 'measured', runDir: relative(dir, runDir) };
      } catch (e) {
        // A build that fails, or a variant this source cannot have (a series with no version
        // for its release, a patch that does not apply): this source only, the others go on.
        if (!(e instanceof EmuflockError && (e.kind === 'build' || e.kind === 'input'))) throw e;
        const reason = `${e.kind === 'build' ? 'does not build' : 'cannot be built'}: ${e.message.split('\n')[0]!}`;
        opts.log(`${where}: passed over, ${reason}`);
        history.records[s.id] = { status: 'failed', reason };
      }
      await writeHistory(dir, history);
    }
  } finally {
    stop();
  }
}

/**
 * One run under `root` (a source's, or a check's of two sources): resumed when an earlier one
 * was interrupted, else a new one. `qemuSrc` overrides every variant's source, as run --qemu-src.
 */
export async function measureRun(root: string, runCase: LoadedCase, opts: Omit<MeasureOptions, 'again'>, qemuSrc?: string): Promise<string> {
  const common = { resultsRoot: root, log: opts.log, ...(qemuSrc ? { qemuSrc } : {}), ...(opts.variantsFile ? { variantsFile: opts.variantsFile } : {}), ...(opts.preflight === false ? { preflight: false } : {}) };
  const earlier = await runDirIn(root);
  if (earlier) {
    const manifest = await readManifest(earlier);
    const cases = manifest.cases.map((c) => parseCase(c.text, c.file, c.sha256));
    const r = await runCases(cases, { ...common, argv: manifest.argv, resumeDir: earlier, seed: manifest.seed, adaptive: manifest.adaptive ?? opts.adaptive });
    return r.runDir;
  }
  // The run's own command line: `emuflock report` and the report's "how to reproduce" read it.
  const argv = ['emuflock', 'run', ...(qemuSrc ? ['--qemu-src', qemuSrc] : []), runCase.file];
  const r = await runCases([runCase], { ...common, argv, adaptive: opts.adaptive });
  return r.runDir;
}

/** The run directory an earlier, interrupted measurement of this source left, if any. */
async function runDirIn(root: string): Promise<string | undefined> {
  for (const name of (await readdir(root).catch(() => [] as string[])).sort()) {
    const has = await readdir(join(root, name)).then((f) => f.includes(manifestName), () => false);
    if (has) return join(root, name);
  }
  return undefined;
}
