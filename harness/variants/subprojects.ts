import { access, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../core/exec.js';
import { sourcesDir } from './source-repo.js';

/**
 * QEMU builds some third-party code a git checkout does not hold: from 8.1 on as meson
 * subprojects (`subprojects/NAME.wrap` only; configure downloads them unless told not to), up to
 * 8.0 as git submodules (an empty `ui/keycodemapdb`, `tests/fp/berkeley-*`; configure stops
 * with "missing GIT submodules" without them, even for --help). emuflock never lets a build
 * download (this machine may have no network, and a build must not change with what a server
 * serves), so a missing one is named before configuring. These three every system-emulator
 * build needs (measured with 10.2: without the float ones configure stops in tests/fp, even
 * with --disable-tools; 7.2 checks keycodemapdb's README first); QEMU's release tarballs and
 * Debian's source ship them.
 */
const alwaysNeeded: { name: string; submodule: string }[] = [
  { name: 'keycodemapdb', submodule: 'ui/keycodemapdb' },
  { name: 'berkeley-softfloat-3', submodule: 'tests/fp/berkeley-softfloat-3' },
  { name: 'berkeley-testfloat-3', submodule: 'tests/fp/berkeley-testfloat-3' },
];

/** A piece of third-party code a tree needs and where it goes: a subproject wants its meson.build. */
interface NeededPiece {
  name: string;
  path: string;
  asSubproject: boolean;
}

async function neededPieces(tree: string): Promise<NeededPiece[]> {
  const gitmodules = await readFile(join(tree, '.gitmodules'), 'utf8').catch(() => '');
  const submodulePaths = new Set([...gitmodules.matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm)].map((m) => m[1]));
  const pieces: NeededPiece[] = [];
  for (const { name, submodule } of alwaysNeeded) {
    if (await exists(join(tree, 'subprojects', `${name}.wrap`))) pieces.push({ name, path: join('subprojects', name), asSubproject: true });
    else if (submodulePaths.has(submodule)) pieces.push({ name, path: submodule, asSubproject: false });
  }
  return pieces;
}

/** Whether DIR holds the piece: a subproject's meson.build, or a submodule's files. */
async function holds(dir: string, asSubproject: boolean): Promise<boolean> {
  if (asSubproject) return exists(join(dir, 'meson.build'));
  return (await readdir(dir).catch(() => [] as string[])).length > 0;
}

export async function requiredSubprojectsMissing(tree: string): Promise<string[]> {
  const missing: string[] = [];
  for (const piece of await neededPieces(tree)) {
    if (!(await holds(join(tree, piece.path), piece.asSubproject))) missing.push(piece.name);
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
 * Fills the required subprojects or submodules a tree lacks from a tree that has them, without
 * a download: the directory named by EMUFLOCK_SUBPROJECTS first (a subprojects/ folder), then
 * the cached sources (Debian's ship them), the one nearest in QEMU version first. A subproject
 * comes only from a subproject (its meson.build defines what QEMU's asks of it: 7.2's
 * ui/keycodemapdb has a stub, and 8.1's configure then fails on "keymaps_csv not found"); a
 * submodule from either layout (10.2's subprojects/keycodemapdb serves 7.2). Copied with
 * their times (cp -a), so ninja sees the same files on every build of the tree. Returns what
 * came from where; what no donor has stays missing, for the caller to name.
 */
export async function fillSubprojects(tree: string, version: string | undefined): Promise<SubprojectDonor[]> {
  const pieces = await neededPieces(tree);
  const filled: SubprojectDonor[] = [];
  let donors: Donor[] | undefined;
  for (const piece of pieces) {
    const target = join(tree, piece.path);
    if (await holds(target, piece.asSubproject)) continue;
    donors ??= await donorTrees(version);
    for (const donor of donors) {
      const from = await firstHolding(donor.candidates(piece.name, piece.asSubproject), piece.asSubproject);
      if (!from) continue;
      // git leaves an empty directory where a submodule goes; cp -a into it would nest the copy.
      await rm(target, { recursive: true, force: true });
      await run('cp', ['-a', from, target]);
      filled.push({ name: piece.name, from: donor.label });
      break;
    }
  }
  return filled;
}

interface Donor {
  label: string;
  distance: number;
  /** Where a donor may hold NAME: for a subproject, only its subprojects/ folder. */
  candidates: (name: string, asSubproject: boolean) => string[];
}

async function firstHolding(dirs: string[], asSubproject: boolean): Promise<string | undefined> {
  for (const dir of dirs) if (await holds(dir, asSubproject)) return dir;
  return undefined;
}

async function donorTrees(version: string | undefined): Promise<Donor[]> {
  const named = process.env.EMUFLOCK_SUBPROJECTS;
  const cached: (Donor & { v: string })[] = [];
  for (const id of await readdir(sourcesDir()).catch(() => [] as string[])) {
    const tree = join(sourcesDir(), id, 'tree');
    const v = await readFile(join(tree, 'VERSION'), 'utf8').then((t) => t.trim(), () => undefined);
    if (!v) continue;
    const submoduleOf = (name: string) => alwaysNeeded.find((p) => p.name === name)!.submodule;
    cached.push({
      label: `the cached source ${id} (QEMU ${v})`,
      distance: versionDistance(v, version),
      v,
      candidates: (name, asSubproject) => [join(tree, 'subprojects', name), ...(asSubproject ? [] : [join(tree, submoduleOf(name))])],
    });
  }
  // Nearest first; of two as near, the newer (its wraps pin the newer subproject revisions).
  cached.sort((a, b) => a.distance - b.distance || versionDistance(b.v, '0') - versionDistance(a.v, '0'));
  return [...(named ? [{ label: `EMUFLOCK_SUBPROJECTS=${named}`, distance: -1, candidates: (name: string) => [join(named, name)] }] : []), ...cached];
}

/** How far apart two QEMU releases are, by major and minor: 10.2 is nearer 10.0 than 7.2. */
function versionDistance(a: string, b: string | undefined): number {
  if (!b) return 0;
  const parts = (v: string) => v.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const [pa, pb] = [parts(a), parts(b)];
  return Math.abs((pa[0]! - pb[0]!) * 100 + ((pa[1] ?? 0) - (pb[1] ?? 0)));
}
