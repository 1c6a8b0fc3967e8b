import { readBounded } from '../core/bounded-read.js';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { writeAtomic } from '../core/files.js';
import { displayPath, parseYaml } from '../core/yaml-input.js';
import { bisectStateSchema, type BisectState } from './state-schema.js';

export type { BisectState, CommitRecord, CommitStatus } from './state-schema.js';

export const stateName = 'bisect.json';

export async function readState(dir: string): Promise<BisectState> {
  const file = join(dir, stateName);
  let text: string;
  try {
    text = (await readBounded(file, { maxBytes: 16 * 1024 * 1024, what: stateName })).toString('utf8');
  } catch (e) {
    throw inputError(`${displayPath(dir)}: not a bisect directory (${stateName}: ${(e as Error).message.replace(/^.*?: /, '')})`);
  }
  return parseYaml(text, displayPath(file), bisectStateSchema, `${stateName} is a JSON object (repo, good, bad, metric, runs, commits, ...)`);
}

export async function writeState(dir: string, state: BisectState): Promise<void> {
  await writeAtomic(join(dir, stateName), JSON.stringify(state, null, 2) + '\n');
}
