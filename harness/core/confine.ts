import { join, relative, resolve, isAbsolute } from 'node:path';
import { inputError } from './errors.js';
import { printable } from './printable.js';

/**
 * Names that come from data (a case name in a journal line or run.json, a variant or series
 * name, a chart id) become file names, and only file names: one path component, not `.` or
 * `..`, no `/`, no NUL or control character, at most 200 bytes. Anything else is refused with
 * `what` (e.g. "journal.jsonl:3: case") so a line like `../../w/x` writes nothing anywhere.
 */
export function safeComponent(name: string, what: string): string {
  const why =
    name.length === 0 ? 'is empty'
    : name === '.' || name === '..' ? 'names a folder, not a file'
    : name.includes('/') || name.includes('\\') ? 'holds a path separator'
    : /[\p{Cc}\p{Cs}\p{Cf}\p{Co}\p{Cn}]/u.test(name) ? 'holds a control or invisible character'
    : Buffer.byteLength(name) > 200 ? 'is longer than 200 bytes'
    : undefined;
  if (why) throw inputError(`${what}: "${printable(name, 60)}" ${why}; a name becomes one file name, so it must be a plain name`);
  return name;
}

/** `root/name` for a name checked by safeComponent, and never anywhere but directly inside root. */
export function confinedPath(root: string, name: string, what: string): string {
  const path = join(root, safeComponent(name, what));
  const rel = relative(resolve(root), resolve(path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw inputError(`${what}: "${printable(name, 60)}" leaves ${printable(root, 80)}`);
  return path;
}

/** A relative path from data (a series path) that must stay inside root: no `..` climbing out, no absolute path. */
export function confinedRelative(root: string, rel: string, what: string): string {
  const path = resolve(root, rel);
  const inside = relative(resolve(root), path);
  if (rel.length === 0 || isAbsolute(rel) || inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw inputError(`${what}: "${printable(rel, 80)}" is not inside ${printable(root, 80)}`);
  }
  return path;
}
