import { join } from 'node:path';
import { repoRoot } from '../helpers.js';

/** Patch series made to fail: one does not apply to QEMU 7.2, one breaks its compilation. */
export const fixturesPatches = join(repoRoot, 'test', 'fixtures', 'patches');
