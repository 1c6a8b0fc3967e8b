import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { execa } from 'execa';
import { inputError } from '../core/errors.js';
import { untranslated } from '../core/exec.js';
import { projectRoot } from '../core/paths.js';
import type { Patch, Series } from './series.js';

/**
 * Applies series in order onto a clean tree with `git apply` (falling back to a 3-way merge,
 * which absorbs context drift when the patch's preimage blobs are known). A patch that does not
 * apply is an input error naming the series, the patch, the file and the hunk.
 */
export async function applySeries(tree: string, seriesList: Series[]): Promise<void> {
  for (const series of seriesList) {
    for (const patch of series.patches) {
      const plain = await execa('git', ['-C', tree, 'apply', '--index', '--whitespace=nowarn', patch.path], { reject: false, env: untranslated });
      if (plain.exitCode === 0) continue;
      const threeWay = await execa('git', ['-C', tree, 'apply', '--3way', '--whitespace=nowarn', patch.path], { reject: false, env: untranslated });
      if (threeWay.exitCode === 0 && !/with conflicts/.test(threeWay.stderr)) continue;
      throw inputError(await describeFailure(tree, series, patch, plain.stderr));
    }
  }
}

async function describeFailure(tree: string, series: Series, patch: Patch, stderr: string): Promise<string> {
  const shownPatch = relative(process.cwd(), patch.path).startsWith('..') ? relative(projectRoot(), patch.path) : relative(process.cwd(), patch.path);
  const failed = stderr.match(/patch failed: (.+):(\d+)/);
  const missing = stderr.match(/error: (.+): (No such file or directory|does not exist in index)/);
  let where = '';
  if (failed) {
    const [, file, line] = failed;
    const hunk = await findHunk(patch.path, file!, Number(line));
    where = `${file}: hunk ${hunk ?? `at line ${line}`} does not apply`;
  } else if (missing) {
    const moved = await sameNamedFiles(tree, missing[1]!);
    const hint = moved.length ? ` (moved? ${moved.slice(0, 3).join(', ')} ${moved.length === 1 ? 'has' : 'have'} its name)` : '';
    where = `${missing[1]}: the file to patch does not exist in this source${hint}`;
  } else {
    where = stderr.trim().split('\n')[0] ?? 'git apply failed';
  }
  return `series ${series.name}, patch ${patch.name} (${shownPatch}): ${where}`;
}

/** The hunk of `file` whose old range starts at `line`, as "#2 (@@ -1021,7 +1021,17 @@ ...)". */
export async function findHunk(patchPath: string, file: string, line: number): Promise<string | undefined> {
  const text = await readFile(patchPath, 'utf8');
  let inFile = false;
  let index = 0;
  for (const l of text.split('\n')) {
    if (l.startsWith('diff --git ')) {
      inFile = l.endsWith(` b/${file}`);
      index = 0;
    } else if (inFile && l.startsWith('@@ ')) {
      index++;
      const start = Number(l.match(/^@@ -(\d+)/)?.[1]);
      if (start === line) return `#${index} (${l.trim()})`;
    }
  }
  return undefined;
}

/**
 * Where a file the patch names may have gone: tracked files of the same name elsewhere in the
 * tree (QEMU moved softmmu/ and sysemu/ to system/ in 8.x). A guess, said as one.
 */
async function sameNamedFiles(tree: string, missing: string): Promise<string[]> {
  const listed = await execa('git', ['-C', tree, 'ls-files', '--', `*/${basename(missing)}`, basename(missing)], { reject: false });
  return listed.exitCode === 0 ? listed.stdout.split('\n').filter((f) => f && f !== missing) : [];
}
