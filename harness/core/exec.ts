import type { Options } from 'execa';
import { EmuflockError, type ErrorKind } from './errors.js';

/**
 * For commands whose messages emuflock parses (git apply's "patch failed: FILE:LINE", git
 * bisect's "is the first ... commit"): git translates them under the user's locale.
 */
export const untranslated = { LC_ALL: 'C' } as const;

/** The last lines of a command's output: enough to see why it failed, short enough to read. */
export function tail(text: string, lines = 12): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/**
 * Runs a helper command (apt, dpkg-deb, cpio, git, ninja) and returns its stdout. A failure
 * becomes one EmuflockError carrying the command line, exit code and output tail, as execa's
 * own errors do, but without a stack trace for the user.
 */
export async function run(
  file: string,
  args: readonly string[],
  options: Options & { kind?: ErrorKind; what?: string } = {},
): Promise<string> {
  const { kind = 'failure', what, ...execaOptions } = options;
  // Loaded on the first command, not with every module that could run one: reading a case or
  // a variants file reaches this module, and execa is a hundred modules to load.
  const { execa } = await import('execa');
  const result = await execa(file, args, { reject: false, stripFinalNewline: true, ...execaOptions });
  if (result.failed) {
    const out = [result.stderr, result.stdout].filter((s) => typeof s === 'string' && s.length > 0).join('\n');
    const status = result.exitCode !== undefined ? `exit ${result.exitCode}` : (result.signal ?? 'failed');
    const missing = (result as { code?: string }).code === 'ENOENT';
    const head = what ? `${what}: ` : '';
    throw new EmuflockError(
      missing ? 'environment' : kind,
      missing
        ? `${head}${file} is not installed (run \`make setup\` or install the package that provides it)`
        : `${head}\`${[file, ...args].join(' ')}\` failed (${status})${out ? `\n${tail(String(out))}` : ''}`,
    );
  }
  return typeof result.stdout === 'string' ? result.stdout : '';
}
