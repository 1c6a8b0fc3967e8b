import { run } from '../core/exec.js';
import { inputError } from '../core/errors.js';
import { printable } from '../core/printable.js';
import { qemuSource } from '../variants/resolve.js';
import { sourceQemuVersion } from '../variants/source-repo.js';
import { requireRevision } from '../variants/revision.js';
import { splitSpec } from '../variants/user-source.js';
import type { HistorySource } from './history-file.js';

/** The sources a history command names, in the order they are given (DESIGN.md, History). */
export interface SourceRequest {
  /** `--source`: any QEMU source `--qemu-src` takes (debian:VERSION|SUITE, PATH@REV, a tarball). */
  sources: string[];
  /** `--repo` with `--rev` (each a revision) and `--range A..B` (A, every K-th commit after it, B). */
  repo?: string;
  revs: string[];
  range?: string;
  every: number;
}

/**
 * Every source named, resolved to what it is today (a suite to its version, a revision to its
 * commit) and pinned, so a history measured again later measures the same sources, and a suite
 * that moved on is a new source.
 */
export async function resolveHistorySources(req: SourceRequest, log: (line: string) => void): Promise<HistorySource[]> {
  if ((req.revs.length > 0 || req.range) && !req.repo) throw inputError('history: --rev and --range name revisions of --repo PATH; give --repo');
  const wanted: { label: string; spec: string }[] = req.sources.map((s) => ({ label: s, spec: s }));
  for (const rev of req.revs) wanted.push({ label: rev, spec: `${req.repo}@${rev}` });
  if (req.range) for (const rev of await sampledRange(req.repo!, req.range, req.every)) wanted.push(rev);
  if (wanted.length < 2) throw inputError(`history: name at least two sources (--source, --rev, --range); got ${wanted.length}`);
  const resolved: HistorySource[] = [];
  for (const w of wanted) {
    const s = await resolveOne(w.label, w.spec, log);
    const twin = resolved.find((r) => r.id === s.id);
    if (twin) throw inputError(`history: ${printable(w.label)} and ${printable(twin.label)} are the same source (${s.id}); name it once`);
    resolved.push(s);
  }
  return resolved;
}

async function resolveOne(label: string, spec: string, log: (line: string) => void): Promise<HistorySource> {
  const tree = await qemuSource(spec, log);
  const qemuVersion = await sourceQemuVersion(tree);
  const version = qemuVersion ? { qemuVersion } : {};
  if (spec === 'debian' || spec.startsWith('debian:')) return { label, spec: `debian:${tree.id.replace(/^debian-qemu-/, '')}`, id: tree.id, ...version };
  const { path, rev } = splitSpec(spec);
  if (rev && tree.id.startsWith('git-')) {
    const commit = tree.id.slice('git-'.length);
    const subject = (await run('git', ['-C', path, 'log', '-1', '--format=%s', commit])).trim();
    return { label, spec: `${path}@${commit}`, id: tree.id, git: { repo: path, commit, subject }, ...version };
  }
  return { label, spec, id: tree.id, ...version };
}

/**
 * `A..B` sampled every K commits along B's first-parent line: A, the K-th commit after it, the
 * 2K-th, ..., and B always. Labels are the range's ends and `A+N` for the N-th commit after A.
 */
async function sampledRange(repo: string, range: string, every: number): Promise<{ label: string; spec: string }[]> {
  const m = range.match(/^(.+?)\.\.(.+)$/);
  if (!m) throw inputError(`history: --range ${printable(range)}: expected A..B (two revisions of --repo)`);
  const [from, to] = [m[1]!, m[2]!];
  const what = `history: --range ${printable(range)}`;
  const [fromSha, toSha] = [await requireRevision(repo, from, what), await requireRevision(repo, to, what)];
  const commits = (
    await run('git', ['-C', repo, 'rev-list', '--reverse', '--first-parent', `${fromSha}..${toSha}`], { kind: 'input', what: `--range ${range}: git rev-list in ${repo}` })
  )
    .split('\n')
    .filter(Boolean);
  if (commits.length === 0) throw inputError(`history: --range ${printable(range)} holds no commits (is ${printable(to)} a descendant of ${printable(from)}?)`);
  const picked = [{ label: from, spec: `${repo}@${fromSha}` }];
  commits.forEach((sha, i) => {
    const n = i + 1;
    if (n === commits.length) picked.push({ label: to, spec: `${repo}@${sha}` });
    else if (n % every === 0) picked.push({ label: `${from}+${n}`, spec: `${repo}@${sha}` });
  });
  return picked;
}
