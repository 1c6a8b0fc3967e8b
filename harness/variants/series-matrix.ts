/**
 * `emuflock series-matrix`: every patch series against every tracked QEMU source: which version
 * of the series the source's release takes, and whether it applies (else the first patch and
 * hunk that does not). A maintainer carrying fixes sees at once which need a new version for the
 * next release, without building anything: each series is applied in a scratch worktree of the
 * cached source, which is removed afterwards.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmuflockError, inputError } from '../core/errors.js';
import { run } from '../core/exec.js';
import { onInterrupt } from '../core/process-group.js';
import { applySeries } from './apply.js';
import { qemuSource } from './resolve.js';
import { listSeries, loadSeries, noVersionNeeded, patchesRoot, releaseOf, seriesBases } from './series.js';
import { gitIdentity, sourceQemuVersion, type SourceTree } from './source-repo.js';

export type CellStatus = 'applies' | 'no version' | 'does not apply';

export interface MatrixCell {
  status: CellStatus;
  /** For `no version`: why none is needed, in the series README's own words, when it says. */
  why?: string;
  /** The series version tried ("10.2", or "any" for a series written for every release). */
  version?: string;
  /** For `does not apply`: the patch, file and hunk; for `no version`: the versions there are. */
  detail?: string;
}

export interface MatrixSource {
  label: string;
  /** The source's identity (SourceTree.id) and its QEMU version. */
  id: string;
  qemuVersion: string | undefined;
}

export interface SeriesMatrix {
  sources: MatrixSource[];
  rows: { series: string; cells: MatrixCell[] }[];
}

export async function seriesMatrix(specs: string[], names: string[], log: (line: string) => void, root = patchesRoot()): Promise<SeriesMatrix> {
  const all = await listSeries(root);
  const series = names.length > 0 ? names : all;
  const unknown = series.filter((n) => !all.includes(n));
  if (unknown.length > 0) throw inputError(`series-matrix: no series ${unknown.join(', ')} in ${root} (there are: ${all.join(', ')})`);
  const sources: MatrixSource[] = [];
  const columns: MatrixCell[][] = [];
  for (const spec of specs) {
    const tree = await qemuSource(spec, log);
    const qemuVersion = await sourceQemuVersion(tree);
    sources.push({ label: spec, id: tree.id, qemuVersion });
    log(`${spec}: ${tree.label}${qemuVersion ? ` (QEMU ${qemuVersion})` : ''}: applying ${series.length} series`);
    columns.push(await cellsFor(tree, qemuVersion, series, root));
  }
  return { sources, rows: series.map((name, i) => ({ series: name, cells: columns.map((c) => c[i]!) })) };
}

/** One source's column: each series applied alone onto the pristine source, in one scratch worktree. */
async function cellsFor(tree: SourceTree, qemuVersion: string | undefined, names: string[], root: string): Promise<MatrixCell[]> {
  const parent = await mkdtemp(join(tmpdir(), 'emuflock-series-'));
  const scratch = join(parent, 'tree');
  // A checkout is a QEMU tree (200 MB): an interrupted matrix must not leave it in TMPDIR. The
  // worktree's registration in the cached repository goes with the next prune (here, or a build's).
  const stopListening = onInterrupt(() => rmSync(parent, { recursive: true, force: true }));
  try {
    await run('git', ['-C', tree.repo, 'worktree', 'prune']);
    await run('git', ['-C', tree.repo, 'worktree', 'add', '-q', '--detach', scratch, tree.commit], { what: `checking out ${tree.label}` });
    const cells: MatrixCell[] = [];
    for (const name of names) {
      const bases = await seriesBases(join(root, name));
      const version = bases.length === 0 ? 'any' : qemuVersion ? releaseOf(qemuVersion) : undefined;
      if (version === undefined || (version !== 'any' && !bases.includes(version))) {
        const why = await noVersionNeeded(join(root, name));
        cells.push({ status: 'no version', detail: `has ${bases.join(', ')}`, ...(why ? { why } : {}) });
        continue;
      }
      const s = await loadSeries(name, root, qemuVersion);
      await run('git', [...gitIdentity, '-C', scratch, 'reset', '-q', '--hard', tree.commit]);
      await run('git', ['-C', scratch, 'clean', '-q', '-fdx']);
      const failure = await applySeries(scratch, [s]).then(
        () => undefined,
        (e: unknown) => {
          if (e instanceof EmuflockError && e.kind === 'input') return e.message.replace(/^series [^,]+, /, '');
          throw e;
        },
      );
      cells.push(failure ? { status: 'does not apply', version, detail: failure } : { status: 'applies', version });
    }
    return cells;
  } finally {
    await run('git', ['-C', tree.repo, 'worktree', 'remove', '--force', scratch]).catch(() => {});
    await rm(parent, { recursive: true, force: true });
    stopListening();
  }
}
