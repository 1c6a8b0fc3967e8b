import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { caseSchema, type LoadedCase } from './schema.js';
import { safeComponent } from '../core/confine.js';
import { printable } from '../core/printable.js';
import { displayPath, parseYaml, readUserFile } from '../core/yaml-input.js';

/** Reads and validates a case file; errors name file, line, column and field. */
export async function loadCase(file: string): Promise<LoadedCase> {
  const { bytes } = await readUserFile(file);
  // The file's own name, before it is escaped for display (a tab would show as a backslash).
  caseName(basename(file, extname(file)), file);
  // Recorded and named by its whole path: a path cut for display would cut the name with it.
  return parseCase(bytes.toString('utf8'), displayPath(file, Infinity), createHash('sha256').update(bytes).digest('hex'));
}

export function parseCase(text: string, shown: string, sha256 = createHash('sha256').update(text).digest('hex')): LoadedCase {
  // The name becomes folder and file names of the run (charts, trial ids): checked here, before a
  // run folder exists, as the readers of run.json check it.
  const name = caseName(basename(shown, extname(shown)), shown);
  const spec = parseYaml(text, shown, caseSchema, 'a case file is a YAML mapping of keys (arch, disks, variants, ...)');
  return { name, file: shown, spec, text, sha256 };
}

function caseName(name: string, file: string): string {
  return safeComponent(name, `${printable(file, 80)}: the case's name (its file name without the extension)`);
}
