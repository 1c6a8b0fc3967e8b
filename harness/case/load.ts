import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { caseSchema, type LoadedCase } from './schema.js';
import { parseYaml, readUserFile } from '../core/yaml-input.js';

/** Reads and validates a case file; errors name file, line, column and field. */
export async function loadCase(file: string): Promise<LoadedCase> {
  const { bytes, shown } = await readUserFile(file);
  return parseCase(bytes.toString('utf8'), shown, createHash('sha256').update(bytes).digest('hex'));
}

export function parseCase(text: string, shown: string, sha256 = createHash('sha256').update(text).digest('hex')): LoadedCase {
  const spec = parseYaml(text, shown, caseSchema, 'a case file is a YAML mapping of keys (arch, disks, variants, ...)');
  return { name: basename(shown, extname(shown)), file: shown, spec, text, sha256 };
}
