import t, { type Test } from 'tap';
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempDir, writeCase } from '../helpers.js';

// Bad input to `emuflock history` and `emuflock regressions`: one line each, exit 2, no stack
// trace, nothing measured (all of it is refused before a source is fetched or built).
async function refused(t: Test, args: string[], cwd: string, message: RegExp): Promise<void> {
  const r = await runCli(args, { cwd });
  t.equal(r.exitCode, 2, `${args.join(' ')}: exit 2`);
  t.match(r.stderr, message);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

t.test('history refuses what it cannot measure, in one line', async (t) => {
  const dir = await tempDir();
  const built = await writeCase(dir, 'built', 'disks: 4\nuntil: qemu-init\nvariants: [upstream]\n');
  const systemOnly = await writeCase(dir, 'system-only', 'disks: 4\n');
  const repo = join(dir, 'qemu');
  await mkdir(repo);
  await execa('git', ['init', '-q', repo]);
  await writeFile(join(repo, 'VERSION'), '7.2.0\n');
  await execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'add', '-A']);
  await execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-q', '-m', 'one']);
  await refused(t, ['history'], dir, /^emuflock: history: name a case file/m);
  await refused(t, ['history', '--resume', dir, '--rev', 'v1'], dir, /--resume DIR continues with the case and sources the history lists/);
  await refused(t, ['history', built, '--rev', 'v1'], dir, /--rev and --range name revisions of --repo PATH; give --repo/);
  await refused(t, ['history', built, '--repo', repo, '--rev', 'HEAD'], dir, /name at least two sources .* got 1/);
  await refused(t, ['history', built, '--repo', repo, '--range', 'HEAD'], dir, /--range HEAD: expected A\.\.B/);
  await refused(t, ['history', built, '--repo', repo, '--range', 'HEAD..HEAD'], dir, /--range HEAD\.\.HEAD holds no commits/);
  await refused(t, ['history', built, '--repo', repo, '--rev', 'nope', '--rev', 'HEAD'], dir, /no revision "nope"/);
  await refused(t, ['history', systemOnly, '--repo', repo, '--rev', 'HEAD', '--rev', 'HEAD'], dir, /system-only\.yaml: variants: a history builds the case's variants from each source, and this case has only system/);
  await refused(t, ['history', built, '--every', '0', '--repo', repo, '--range', 'HEAD~1..HEAD'], dir, /--every.*expected a whole number, at least 1/);
});

t.test('regressions of a folder that is not a history, or of a damaged history.json', async (t) => {
  const dir = await tempDir();
  await refused(t, ['regressions', join(dir, 'none')], dir, /none: not a history directory \(no history\.json\)/);
  const damaged = join(dir, 'history-x');
  await mkdir(damaged);
  await writeFile(join(damaged, 'history.json'), '{\n  "version": 1,\n  "name": "x",\n  "case": {"name": "x", "file": "x.yaml", "sha256": "0", "text": ""},\n  "sources": [{"label": "a"}],\n  "records": {}\n}\n');
  await refused(t, ['regressions', damaged], dir, /history\.json:5:\d+: sources\.0\.(spec|id)/);
});
