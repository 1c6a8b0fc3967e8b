import t from 'tap';
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliPath, tempDir } from '../helpers.js';

// Each command imports what it does when it runs (harness/cli.ts): --help, --version and a
// usage error load the command line alone. Loading every command's modules once cost 0.9 s of
// CPU per start, which every `git bisect run` step and every mistyped option paid. Checked by
// the modules node loads (a resolve hook lists them), not by a time.

/** Every module URL node resolves while running emuflock with these arguments. */
async function modulesLoaded(args: string[], cwd: string): Promise<{ urls: string[]; exitCode: number | undefined }> {
  const dir = await tempDir();
  const log = join(dir, 'modules.txt');
  const hooks = join(dir, 'hooks.mjs');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';\n` +
      `export async function resolve(spec, ctx, next) { const r = await next(spec, ctx); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`,
  );
  const register = join(dir, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  await writeFile(log, '');
  const r = await execa('node', ['--import', pathToFileURL(register).href, cliPath, ...args], { cwd, reject: false, env: { NODE_OPTIONS: '' } });
  return { urls: (await readFile(log, 'utf8')).split('\n').filter(Boolean), exitCode: r.exitCode };
}

// The packages that cost the most to load, and the folders that boot, build and draw.
const heavy = /node_modules\/(execa|zod|yaml|chart\.js|chartjs-node-canvas|canvas)\/|harness\/(run|report|variants|bisect|guest)\//;

t.test('--help, --version and a command\'s --help load the command line only', async (t) => {
  const dir = await tempDir();
  for (const args of [['--version'], ['--help'], ['run', '--help'], ['compare', '--help'], ['review', '--help'], ['bisect', '--help']]) {
    const { urls, exitCode } = await modulesLoaded(args, dir);
    t.equal(exitCode, 0, `${args.join(' ')}: exit 0`);
    t.ok(urls.some((u) => u.endsWith('/harness/commands/run.js')), `${args.join(' ')}: the hook saw the commands load (${urls.length} modules)`);
    t.same(urls.filter((u) => heavy.test(u)), [], `${args.join(' ')}: no command's work loaded`);
  }
});

t.test('a bad case file loads the case reader, not the runner', async (t) => {
  const dir = await tempDir();
  await writeFile(join(dir, 'x.yaml'), 'disks: 0\n');
  const { urls, exitCode } = await modulesLoaded(['run', 'x.yaml'], dir);
  t.equal(exitCode, 2);
  t.ok(urls.some((u) => /node_modules\/zod\//.test(u)), 'the case was validated (zod loaded)');
  t.same(urls.filter((u) => /harness\/(run|report)\/|node_modules\/(execa|chart\.js|chartjs-node-canvas)\//.test(u)), [], 'nothing of the run or its report loaded');
});
