import t from 'tap';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readHistory, sourceRoot, writeHistory, type HistoryFile } from '../../harness/history/history-file.js';
import { mergeHistories } from '../../harness/history/merge-history.js';
import { tempDir } from '../helpers.js';

// Shards of one history as `history --shard` leaves them: the same history.json head, each
// with the records and run folders of its own sources. What is merged is copied, not moved.
const sources = ['a', 'b', 'c'].map((x) => ({ label: `v${x}`, spec: `/src/qemu@${x.repeat(40)}`, id: `git-${x.repeat(40)}` }));
const head = (): HistoryFile => ({ version: 1, name: 'drain', case: { name: 'drain', file: 'cases/drain.yaml', sha256: 'f'.repeat(64), text: 'disks: 8\n' }, sources: structuredClone(sources), records: {} });

async function shard(measured: string[], failed: string[] = []): Promise<string> {
  const dir = join(await tempDir(), 'history-drain');
  const h = head();
  for (const id of measured) {
    const run = join(sourceRoot(dir, id), '20261207-010000-drain');
    await mkdir(run, { recursive: true });
    await writeFile(join(run, 'journal.jsonl'), `{"source":"${id}"}\n`);
    h.records[id] = { status: 'measured', runDir: `sources/${id}/20261207-010000-drain` };
  }
  for (const id of failed) h.records[id] = { status: 'failed', reason: 'does not build: ninja failed' };
  await mkdir(dir, { recursive: true });
  await writeHistory(dir, h);
  return dir;
}

t.test('each source from the shard that measured it; a failed one stays failed; one nobody measured is left to --resume', async (t) => {
  const [a, b, c] = sources.map((s) => s.id) as [string, string, string];
  const one = await shard([a], [c]);
  const two = await shard([b]);
  const out = join(await tempDir(), 'merged');
  const merged = await mergeHistories([one, two], out);
  const h = await readHistory(out);
  t.same(h.sources, head().sources);
  t.same(h.records[a], { status: 'measured', runDir: `sources/${a}/20261207-010000-drain` });
  t.same(h.records[b], { status: 'measured', runDir: `sources/${b}/20261207-010000-drain` });
  t.same(h.records[c], { status: 'failed', reason: 'does not build: ninja failed' });
  t.equal(await readFile(join(out, h.records[b]!.runDir!, 'journal.jsonl'), 'utf8'), `{"source":"${b}"}\n`, 'the run is copied whole');
  t.same(merged.rows.map((r) => r.status), ['measured', 'measured', 'failed: does not build: ninja failed']);
  t.same(merged.notes, []);

  const partial = await mergeHistories([two], join(await tempDir(), 'merged'));
  t.match(partial.rows[0]!.status, /not measured \(history --resume measures it\)/);
});

t.test('shards of different histories, or a record pointing elsewhere, are refused and nothing is written', async (t) => {
  const [a, b] = sources.map((s) => s.id) as [string, string];
  const one = await shard([a]);
  const other = await shard([b]);
  const h = await readHistory(other);
  await writeHistory(other, { ...h, case: { ...h.case, sha256: 'e'.repeat(64) } });
  await t.rejects(mergeHistories([one, other], join(await tempDir(), 'm')), { kind: 'input', message: /measures cases\/drain\.yaml \(sha256 eeeeeeeeeeee…\).*not shards of one history/ });

  await writeHistory(other, { ...h, sources: [h.sources[0]!, h.sources[2]!, h.sources[1]!] });
  await t.rejects(mergeHistories([one, other], join(await tempDir(), 'm')), { kind: 'input', message: /source 2 is vc \(git-c+\) in .* but vb \(git-b+\) in .*not shards of one history/ });

  const escaping = await shard([a]);
  const e = await readHistory(escaping);
  await writeHistory(escaping, { ...e, records: { [a]: { status: 'measured', runDir: '../../../etc' } } });
  await t.rejects(mergeHistories([escaping], join(await tempDir(), 'm')), { kind: 'input', message: /records\.git-a+\.runDir: "\.\.\/\.\.\/\.\.\/etc" is not inside/ });

  const full = join(await tempDir(), 'full');
  await mkdir(full);
  await writeFile(join(full, 'x'), '');
  await t.rejects(mergeHistories([one], full), { kind: 'input', message: /--out .*full: not empty; merge into a new folder/ });
  await t.rejects(mergeHistories([], full), { kind: 'input', message: /name the shards' history folders/ });
});

t.test('merged whole or not at all: nothing is left beside --out, and --out inside a shard is refused', async (t) => {
  const [a, b] = sources.map((s) => s.id) as [string, string];
  const one = await shard([a]);
  const two = await shard([b]);
  const parent = await tempDir();
  await mergeHistories([one, two], join(parent, 'merged'));
  t.same(await readdir(parent), ['merged'], 'no staging folder beside the merged history');
  await t.rejects(mergeHistories([one, two], join(one, 'merged')), { kind: 'input', message: /--out .*merged: inside the shard .*; merge into a folder of its own/ });
});
