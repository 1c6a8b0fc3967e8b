import { access } from 'node:fs/promises';
import { join } from 'node:path';

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
