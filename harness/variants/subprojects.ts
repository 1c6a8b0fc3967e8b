import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../core/exec.js';
import { sourcesDir } from './source-repo.js';

/**
 * QEMU 8.0 and later build some code from meson subprojects that a git checkout holds only as
 * `subprojects/NAME.wrap` files; configure downloads them unless told not to. emuflock never
 * lets it (this machine may have no network, and a build must not change with what a server
 * serves), so a missing one is named before configuring. These three every system-emulator
 * build needs (measured with 10.2: without the float ones configure stops in tests/fp, even
 * with --disable-tools); QEMU's release tarballs and Debian's source ship them.
 */
const alwaysNeeded = ['keycodemapdb', 'berkeley-softfloat-3', 'berkeley-testfloat-3'];

export async function requiredSubprojectsMissing(tree: string): Promise<string[]> {
  const missing: string[] = [];
  for (const name of alwaysNeeded) {
    const wrapped = await exists(join(tree, 'subprojects', `${name}.wrap`));
    if (wrapped && !(await exists(join(tree, 'subprojects', name, 'meson.build')))) missing.push(name);
  }
  return missing;
}

/**
 * The subproject a failed configure wanted, from its output: configure's own check, or meson's
 * refusal to download (which names only the meson.build line that asked for it).
 */
export function missingSubproject(output: string): string | undefined {
  if (/ERROR: missing subprojects/.test(output)) return 'keycodemapdb';
  const refused = output.match(/^(\S+?):(\d+):\d+: ERROR: Automatic wrap-based subproject downloading is disabled/m);
  if (refused) return `asked for at ${refused[1]!.replace(/^(\.\.\/)+/, '')}:${refused[2]}`;
  const named = output.match(/Subproject "?(?:subprojects\/)?([\w.+-]+)"? required but not found/) ?? output.match(/Neither a subproject directory nor a ([\w.+-]+)\.wrap file was found/);
  return named?.[1];
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Where a missing subproject was taken from, for the build's log. */
export interface SubprojectDonor {
  name: string;
  from: string;
}

/**
 * Fills the required subprojects a tree lacks (a git checkout holds only their .wrap files)
 * from a tree that has them, without a download: the directory named by EMUFLOCK_SUBPROJECTS
 * first, then the cached sources (Debian's ship them), the one nearest in QEMU version first.
 * Copied with their times (cp -a), so ninja sees the same files on every build of the tree.
 * Returns what came from where; what no donor has stays missing, for the caller to name.
 */
export async function fillSubprojects(tree: string, version: string | undefined): Promise<SubprojectDonor[]> {
  const missing = await requiredSubprojectsMissing(tree);
  if (missing.length === 0) return [];
  const donors = await donorTrees(version);
  const filled: SubprojectDonor[] = [];
  for (const name of missing) {
    for (const donor of donors) {
      if (!(await exists(join(donor.dir, name, 'meson.build')))) continue;
      await run('cp', ['-a', join(donor.dir, name), join(tree, 'subprojects', name)]);
      filled.push({ name, from: donor.label });
      break;
    }
  }
  return filled;
}

async function donorTrees(version: string | undefined): Promise<{ dir: string; label: string; distance: number }[]> {
  const named = process.env.EMUFLOCK_SUBPROJECTS;
  const cached: { dir: string; label: string; distance: number; v: string }[] = [];
  for (const id of await readdir(sourcesDir()).catch(() => [] as string[])) {
    const tree = join(sourcesDir(), id, 'tree');
    const v = await readFile(join(tree, 'VERSION'), 'utf8').then((t) => t.trim(), () => undefined);
    if (v && (await exists(join(tree, 'subprojects')))) cached.push({ dir: join(tree, 'subprojects'), label: `the cached source ${id} (QEMU ${v})`, distance: versionDistance(v, version), v });
  }
  // Nearest first; of two as near, the newer (its wraps pin the newer subproject revisions).
  cached.sort((a, b) => a.distance - b.distance || versionDistance(b.v, '0') - versionDistance(a.v, '0'));
  return [...(named ? [{ dir: named, label: `EMUFLOCK_SUBPROJECTS=${named}`, distance: -1 }] : []), ...cached];
}

/** How far apart two QEMU releases are, by major and minor: 10.2 is nearer 10.0 than 7.2. */
function versionDistance(a: string, b: string | undefined): number {
  if (!b) return 0;
  const parts = (v: string) => v.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const [pa, pb] = [parts(a), parts(b)];
  return Math.abs((pa[0]! - pb[0]!) * 100 + ((pa[1] ?? 0) - (pb[1] ?? 0)));
}
