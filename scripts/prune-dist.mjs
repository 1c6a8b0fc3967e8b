#!/usr/bin/env node
// Removes compiled files whose TypeScript source is gone. tsc writes outputs but never deletes
// them: a module moved or renamed leaves its old .js in dist/, where a test that names a dist
// path (or an import that was not updated) still finds it, and passes here while failing on a
// fresh clone. Run before every compile (npm run build, prepare, scripts/run-tests.mjs).
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const dist = 'dist';

function prune(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
      continue;
    }
    const m = /^(.*)\.(js|js\.map|d\.ts)$/.exec(relative(dist, path));
    if (m && !existsSync(`${m[1]}.ts`)) rmSync(path);
  }
}

if (existsSync(dist)) prune(dist);
