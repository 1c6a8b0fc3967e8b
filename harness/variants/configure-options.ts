import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dir as tmpDir } from 'tmp-promise';
import { run } from '../core/exec.js';
import { cacheRoot } from '../core/paths.js';
import { fillSubprojects } from './subprojects.js';
import type { SourceTree } from './source-repo.js';

/**
 * The options one QEMU source's configure accepts. Configure's options change between
 * releases (10.x dropped --with-git-submodules, 8.x added --disable-download), and configure
 * refuses an option it does not know, so emuflock's own flags are checked against the source's
 * `configure --help` before configuring: a flag the source lacks is left out and said so.
 */
export interface ConfigureOptions {
  /** Option names as written before any `=`: "--cc", "--disable-docs". */
  has(flag: string): boolean;
}

/**
 * The options a source accepts: those `configure --help` lists (explicit options and the
 * optional-feature list), and those configure's own option `case` handles without listing
 * them (10.2's --disable-download).
 */
export function parseConfigure(help: string, script: string): ConfigureOptions {
  const fromScript = scriptOptions(script);
  const names = new Set([...helpOptions(help), ...fromScript.names]);
  return {
    has: (flag) => {
      const name = optionName(flag);
      return names.has(name) || fromScript.prefixes.some((p) => name.length > p.length && name.startsWith(p));
    },
  };
}

/**
 * Patterns of configure's option loop: `  --cc=*)`, `  --enable-a|--disable-a)`, and the
 * families named by a prefix, `  --with-devices-*)` (--with-devices-s390x=NAME). The loop's
 * catch-all `--*)` hands any other option to meson, which refuses one it does not know: it is
 * not a family.
 */
function scriptOptions(script: string): { names: string[]; prefixes: string[] } {
  const names: string[] = [];
  const prefixes: string[] = [];
  for (const line of script.split('\n')) {
    const m = line.match(/^\s*(--[a-z0-9-]+(?:=\*|-\*)?(?:\s*\|\s*--[a-z0-9-]+(?:=\*|-\*)?)*)\)/);
    if (!m) continue;
    for (const pattern of m[1]!.split('|').map((p) => p.trim())) {
      if (pattern.endsWith('-*')) prefixes.push(pattern.slice(0, -1));
      else names.push(optionName(pattern));
    }
  }
  return { names, prefixes };
}

function helpOptions(help: string): Set<string> {
  const names = new Set<string>();
  let inFeatures = false;
  for (const line of help.split('\n')) {
    // "Optional features, enabled with --enable-FEATURE and ...", then to the end one feature
    // per line, indented by two spaces (wrapped descriptions are indented further). A name too
    // long for its column stands alone on its line, its description on the next
    // ("  vhost-user-blk-server").
    if (/^Optional features/.test(line)) {
      inFeatures = true;
      continue;
    }
    // Whole names only: "--with-devices-ARCH=NAME" names a family, not "--with-devices-".
    const option = line.match(/^\s+(--[a-z0-9][a-z0-9-]*)(?=[=[\s]|$)/);
    if (option) {
      names.add(option[1]!);
      continue;
    }
    const feature = inFeatures ? line.match(/^ {2}([a-z0-9][a-z0-9_-]*)(?:\s|$)/) : null;
    if (feature) {
      names.add(`--enable-${feature[1]}`);
      names.add(`--disable-${feature[1]}`);
    }
  }
  return names;
}

export function optionName(flag: string): string {
  const eq = flag.indexOf('=');
  return eq < 0 ? flag : flag.slice(0, eq);
}

/** Splits wanted flags into those the source's configure accepts and those it does not. */
export function acceptedFlags(wanted: readonly string[], options: ConfigureOptions): { kept: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const flag of wanted) (options.has(flag) ? kept : dropped).push(flag);
  return { kept, dropped };
}

/**
 * `configure --help` of a source, run once per source commit and remembered, on a scratch
 * copy of the commit: configure writes config.log and config-temp/ into its working directory
 * even for --help.
 */
export async function configureOptions(source: SourceTree): Promise<ConfigureOptions> {
  const script = await run('git', ['-C', source.repo, 'show', `${source.commit}:configure`], { kind: 'input', what: `${source.label} has no configure script` });
  return parseConfigure(await configureHelp(source), script);
}

async function configureHelp(source: SourceTree): Promise<string> {
  const cached = join(cacheRoot(), 'configure-help', `${source.commit}.txt`);
  const known = await readFile(cached, 'utf8').catch(() => undefined);
  if (known !== undefined) return known;
  const scratch = await tmpDir({ unsafeCleanup: true });
  try {
    const tree = join(scratch.path, 'src');
    await mkdir(tree);
    // The whole tree: configure checks directories of its own before it reads its options.
    await run('sh', ['-c', 'git -C "$0" archive --format=tar "$1" | tar -x -C "$2"', source.repo, source.commit, tree], { what: `reading configure from ${source.label}` });
    // Up to 8.0 configure stops on an absent git submodule (ui/keycodemapdb) before it reads --help.
    await fillSubprojects(tree, await readFile(join(tree, 'VERSION'), 'utf8').then((v) => v.trim(), () => undefined));
    const help = await run('sh', [join(tree, 'configure'), '--help'], { cwd: scratch.path, what: `${source.label}: configure --help` });
    await mkdir(join(cacheRoot(), 'configure-help'), { recursive: true });
    await writeFile(`${cached}.${process.pid}`, help);
    await rename(`${cached}.${process.pid}`, cached);
    return help;
  } finally {
    await scratch.cleanup();
  }
}
