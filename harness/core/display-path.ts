import { relative } from 'node:path';
import { printable } from './printable.js';

/** A path as messages show it: relative inside the working directory, escaped and cut at `max` characters (printable.ts). */
export function displayPath(file: string, max = 160): string {
  const rel = relative(process.cwd(), file);
  return printable(rel.startsWith('..') || rel === '' ? file : rel, max);
}
