import t from 'tap';
import { execa } from 'execa';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliCommand, tempDir } from '../helpers.js';
import { seedDrainFixture } from '../report/helpers.js';

// Malformed input, as a careless user or an attacker gives it, through the real CLI. Each row:
// what to put in a fresh directory, the command run there, its exit code and a fragment of its
// message. Every row also checks: no stack trace, no line longer than an escaped, cut echo, no
// file created, changed or removed in that directory (nothing here gets as far as a run
// directory), no trial directory left in TMPDIR. Only the machine-type and memory rows ask QEMU
// or the host anything; nothing boots.

/** Copy the recorded seed-drain run into run/ (then files under run/ are overwritten). */
const RUN = Symbol('a recorded run');
type Files = Record<string, string | Buffer | typeof RUN>;
type Row = [name: string, files: Files, args: string[], exit: number, fragment: RegExp];

const ok = 'disks: 8\n';
const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`), 'disks: 8'].join('\n');
const runJson = (f: (m: Record<string, unknown>) => unknown) => async (dir: string) => {
  const m = JSON.parse(await readFile(join(dir, 'run', 'run.json'), 'utf8'));
  await writeFile(join(dir, 'run', 'run.json'), JSON.stringify(f(m)));
};
const journalLines = async (dir: string) => (await readFile(join(dir, 'run', 'journal.jsonl'), 'utf8')).split('\n');
const mutations: Record<string, (dir: string) => Promise<void>> = {
  'edited case': runJson((m) => ({ ...m, cases: (m.cases as { text: string }[]).map((c) => ({ ...c, text: c.text.replace('repetitions: 3', 'repetitions: 5') })) })),
  'seed abc': runJson((m) => ({ ...m, seed: 'abc' })),
  'seed 1.5': runJson((m) => ({ ...m, seed: 1.5 })),
  'no cases': runJson((m) => ({ ...m, cases: [] })),
  'bad sha': runJson((m) => ({ ...m, cases: (m.cases as object[]).map((c) => ({ ...c, sha256: 'x' })) })),
  'merged': runJson((m) => ({ ...m, merged: { argv: [], sources: [], missing: [] } })),
  'no phases': async (dir) => {
    const [first, ...rest] = await journalLines(dir);
    const { phases: _, ...o } = JSON.parse(first!);
    await writeFile(join(dir, 'run', 'journal.jsonl'), [JSON.stringify(o), ...rest].join('\n'));
  },
  'garbage line 3': async (dir) => {
    const lines = await journalLines(dir);
    await writeFile(join(dir, 'run', 'journal.jsonl'), [lines[0], '', 'garbage', ...lines.slice(1)].join('\n'));
  },
  'phase a string': async (dir) => {
    const [first, ...rest] = await journalLines(dir);
    const o = JSON.parse(first!);
    o.phases.totalMs = 'fast';
    await writeFile(join(dir, 'run', 'journal.jsonl'), [JSON.stringify(o), ...rest].join('\n'));
  },
  'outcome bogus': async (dir) => {
    const [first, ...rest] = await journalLines(dir);
    await writeFile(join(dir, 'run', 'journal.jsonl'), [JSON.stringify({ ...JSON.parse(first!), outcome: 'great' }), ...rest].join('\n'));
  },
  'locked by a live emuflock': async (dir) => {
    await mkdir(join(dir, 'run', '.lock'));
    await writeFile(join(dir, 'run', '.lock', 'pid'), String(process.pid));
  },
  'user folder': async (dir) => {
    await mkdir(join(dir, 'talk'));
    await writeFile(join(dir, 'talk', 'slides.odp'), 'mine');
  },
  'not qemu repo': async (dir) => {
    const git = (...a: string[]) => execa('git', ['-C', join(dir, 'repo'), '-c', 'user.name=t', '-c', 'user.email=t@t', ...a]);
    await mkdir(join(dir, 'repo'));
    await git('init', '-q');
    await writeFile(join(dir, 'repo', 'README'), 'not QEMU\n');
    await git('add', 'README');
    await git('commit', '-qm', 'one');
    await writeFile(join(dir, 'repo', 'README'), 'still not QEMU\n');
    await git('commit', '-qam', 'two');
  },
};
const mutate = (name: keyof typeof mutations): Files => ({ run: RUN, [`@${name}`]: '' });

const rows: Row[] = [
  // Case files: YAML itself
  ['YAML alias bomb', { 'x.yaml': bomb }, ['run', 'x.yaml'], 2, /x\.yaml:1:1: YAML aliases expand too far/],
  ['YAML syntax error', { 'x.yaml': 'disks: 8\n  variants: [system\n' }, ['run', 'x.yaml'], 2, /x\.yaml:\d+:\d+: YAML syntax error/],
  ['a list, not a mapping', { 'x.yaml': '- 1\n- 2\n' }, ['run', 'x.yaml'], 2, /x\.yaml:1:1: a case file is a YAML mapping/],
  ['a scalar, not a mapping', { 'x.yaml': 'hello\n' }, ['run', 'x.yaml'], 2, /x\.yaml:1:1: a case file is a YAML mapping/],
  ['an empty file', { 'x.yaml': '' }, ['run', 'x.yaml'], 2, /x\.yaml:1:1: a case file is a YAML mapping/],
  ['null', { 'x.yaml': 'null\n' }, ['run', 'x.yaml'], 2, /x\.yaml:1:1: a case file is a YAML mapping/],
  ['a duplicate key', { 'x.yaml': 'disks: 8\ndisks: 9\n' }, ['run', 'x.yaml'], 2, /x\.yaml:2:1: YAML syntax error: Map keys must be unique/],
  ['a tag that makes a function', { 'x.yaml': 'disks: !!js/function "() => 1"\n' }, ['run', 'x.yaml'], 2, /x\.yaml:1:\d+: disks: /],
  ['a binary file', { 'x.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe]) }, ['run', 'x.yaml'], 2, /x\.yaml: a binary file \(a NUL byte at offset 6\)/],
  ['Latin-1, not UTF-8', { 'x.yaml': Buffer.from('disks: 8\n# caf\xe9\n', 'latin1') }, ['run', 'x.yaml'], 2, /x\.yaml: not UTF-8 text/],
  ['a NUL inside text', { 'x.yaml': 'disks: 8\x00\n' }, ['run', 'x.yaml'], 2, /a binary file \(a NUL byte at offset 8\)/],
  ['a directory as the case', { 'x.yaml/keep': '' }, ['run', 'x.yaml'], 2, /x\.yaml: is a directory, not a file/],
  ['a missing case file', {}, ['run', 'nope.yaml'], 2, /nope\.yaml: no such file/],
  ['a 245-character case name, bad content', { [`${'c'.repeat(245)}.yaml`]: 'disks: 0\n' }, ['run', `${'c'.repeat(245)}.yaml`], 2, /c{100}.*… \(250 characters\):1:8: disks: must be at least 1/],
  ['a case name with a line break', { 'a\nb.yaml': 'disks: 0\n' }, ['run', 'a\nb.yaml'], 2, /a\\nb\.yaml:1:8: disks/],
  ['a case name with an escape sequence', { '\x1b[31mred.yaml': 'disks: 0\n' }, ['run', '\x1b[31mred.yaml'], 2, /\\x1b\[31mred\.yaml:1:8/],
  // Case files: fields
  ['a 200,000-character machine', { 'x.yaml': `disks: 8\nmachine: ${'a'.repeat(200_000)}\n` }, ['run', 'x.yaml'], 2, /x\.yaml:2:10: machine: at most 64 characters$/],
  ['a machine with a comma', { 'x.yaml': 'disks: 8\nmachine: s390-ccw-virtio,accel=kvm\n' }, ['run', 'x.yaml'], 2, /machine: letters, digits/],
  ['a machine with a space', { 'x.yaml': 'disks: 8\nmachine: "a b"\n' }, ['run', 'x.yaml'], 2, /machine: letters, digits/],
  ['a machine QEMU does not have', { 'x.yaml': 'disks: 8\nmachine: nosuchmachine\n' }, ['run', 'x.yaml'], 2, /x\.yaml: machine: "nosuchmachine" is not a machine type of .*qemu-system-s390x \(variant system\)/],
  ['guest memory beyond the host', { 'x.yaml': 'disks: 8\nmemoryMiB: 1000000000\n' }, ['run', 'x.yaml'], 2, /x\.yaml: memoryMiB: 1000000000 MiB of guest memory is more than this host has/],
  ['guest memory too small', { 'x.yaml': 'disks: 8\nmemoryMiB: 64\n' }, ['run', 'x.yaml'], 2, /memoryMiB: must be at least 128 MiB/],
  ['disks 0', { 'x.yaml': 'disks: 0\n' }, ['run', 'x.yaml'], 2, /x\.yaml:1:8: disks: must be at least 1/],
  ['disks negative', { 'x.yaml': 'disks: -8\n' }, ['run', 'x.yaml'], 2, /disks: must be at least 1/],
  ['disks fractional', { 'x.yaml': 'disks: 1.5\n' }, ['run', 'x.yaml'], 2, /disks: .*whole number/],
  ['disks a string', { 'x.yaml': 'disks: "8"\n' }, ['run', 'x.yaml'], 2, /x\.yaml:1:\d+: disks: /],
  ['disks an empty sweep', { 'x.yaml': 'disks: []\n' }, ['run', 'x.yaml'], 2, /disks: a sweep needs at least one value/],
  ['disks beyond the machine', { 'x.yaml': 'disks: 100000\n' }, ['run', 'x.yaml'], 2, /disks: 100000 disks do not fit/],
  ['disks infinite', { 'x.yaml': 'disks: .inf\n' }, ['run', 'x.yaml'], 2, /disks: /],
  ['disks missing', { 'x.yaml': 'cpus: 1\n' }, ['run', 'x.yaml'], 2, /disks: is required/],
  ['an unknown key', { 'x.yaml': 'disks: 8\nrepetition: 3\n' }, ['run', 'x.yaml'], 2, /x\.yaml:2:1: repetition: unknown key "repetition"/],
  ['a 100 KB unknown key', { 'x.yaml': `disks: 8\n${'k'.repeat(100_000)}: 1\n` }, ['run', 'x.yaml'], 2, /x\.yaml:2:1: YAML syntax error: The : indicator must be at most 1024 chars/],
  ['arch unknown', { 'x.yaml': 'disks: 8\narch: arm\n' }, ['run', 'x.yaml'], 2, /arch: /],
  ['accel unknown', { 'x.yaml': 'disks: 8\naccel: hvf\n' }, ['run', 'x.yaml'], 2, /accel: /],
  ['cpus 0', { 'x.yaml': 'disks: 8\ncpus: 0\n' }, ['run', 'x.yaml'], 2, /cpus: must be at least 1/],
  ['cpus 1000', { 'x.yaml': 'disks: 8\ncpus: 1000\n' }, ['run', 'x.yaml'], 2, /cpus: /],
  ['queues 0', { 'x.yaml': 'disks: 8\nqueues: 0\n' }, ['run', 'x.yaml'], 2, /queues: /],
  ['queues 5000', { 'x.yaml': 'disks: 8\nqueues: 5000\n' }, ['run', 'x.yaml'], 2, /queues: /],
  ['drives unknown', { 'x.yaml': 'disks: 8\ndrives: scsi\n' }, ['run', 'x.yaml'], 2, /drives: /],
  ['disk backend unknown', { 'x.yaml': 'disks: 8\ndisk: {backend: nbd}\n' }, ['run', 'x.yaml'], 2, /disk\.backend: /],
  ['disk size 0', { 'x.yaml': 'disks: 8\ndisk: {sizeMiB: 0}\n' }, ['run', 'x.yaml'], 2, /disk\.sizeMiB: must be at least 1/],
  ['irqchip under TCG', { 'x.yaml': 'disks: 8\nirqchip: on\n' }, ['run', 'x.yaml'], 2, /irqchip: kernel-irqchip is a KVM property/],
  ['guests 0', { 'x.yaml': 'disks: 8\nguests: 0\n' }, ['run', 'x.yaml'], 2, /guests: /],
  ['guestStarts 0', { 'x.yaml': 'disks: 8\nguestStarts: 0\n' }, ['run', 'x.yaml'], 2, /guestStarts: must be at least 1/],
  ['holdS negative', { 'x.yaml': 'disks: 8\nholdS: -1\n' }, ['run', 'x.yaml'], 2, /holdS: /],
  ['iothreads negative', { 'x.yaml': 'disks: 8\niothreads: -1\n' }, ['run', 'x.yaml'], 2, /iothreads: /],
  ['repetitions 0', { 'x.yaml': 'disks: 8\nrepetitions: 0\n' }, ['run', 'x.yaml'], 2, /repetitions: /],
  ['repetitions 1001', { 'x.yaml': 'disks: 8\nrepetitions: 1001\n' }, ['run', 'x.yaml'], 2, /repetitions: at most 1000 repetitions/],
  ['repetitions min only', { 'x.yaml': 'disks: 8\nrepetitions: {min: 5}\n' }, ['run', 'x.yaml'], 2, /repetitions\.max: is required/],
  ['repetitions max below min', { 'x.yaml': 'disks: 8\nrepetitions: {min: 5, max: 3}\n' }, ['run', 'x.yaml'], 2, /repetitions\.max: must be at least min \(5\)/],
  ['warmup negative', { 'x.yaml': 'disks: 8\nwarmup: -1\n' }, ['run', 'x.yaml'], 2, /warmup: /],
  ['seed negative', { 'x.yaml': 'disks: 8\nseed: -1\n' }, ['run', 'x.yaml'], 2, /seed: /],
  ['seed a word', { 'x.yaml': 'disks: 8\nseed: abc\n' }, ['run', 'x.yaml'], 2, /seed: /],
  ['profile a word', { 'x.yaml': 'disks: 8\nprofile: "yes"\n' }, ['run', 'x.yaml'], 2, /profile: /],
  ['a timeout of 0', { 'x.yaml': 'disks: 8\ntimeouts: {qemuInitS: 0}\n' }, ['run', 'x.yaml'], 2, /timeouts\.qemuInitS: must be more than 0 seconds/],
  ['an unknown timeout', { 'x.yaml': 'disks: 8\ntimeouts: {bootS: 5}\n' }, ['run', 'x.yaml'], 2, /timeouts\.bootS: unknown key/],
  ['an empty description', { 'x.yaml': 'disks: 8\ndescription: ""\n' }, ['run', 'x.yaml'], 2, /description: /],
  ['env LD_PRELOAD', { 'x.yaml': 'disks: 8\nenv: {LD_PRELOAD: /tmp/evil.so}\n' }, ['run', 'x.yaml'], 2, /x\.yaml:2:\d+: env\.LD_PRELOAD: LD_PRELOAD changes which code QEMU loads/],
  ['env a value with a line break', { 'x.yaml': 'disks: 8\nenv: {A: "1\\nB=2"}\n' }, ['run', 'x.yaml'], 2, /env\.A: no NUL or line break in a value/],
  ['env a name with "="', { 'x.yaml': 'disks: 8\nenv: {"A=B": 1}\n' }, ['run', 'x.yaml'], 2, /env\.A=B: variable names are upper-case/],
  ['env a bad map in a sweep', { 'x.yaml': 'disks: 8\nenv: [{}, {MALLOC_ARENA_MAX: {}}]\n' }, ['run', 'x.yaml'], 2, /env\.1\.MALLOC_ARENA_MAX: a value is a string or a number/],
  ['ptys negative', { 'x.yaml': 'disks: 8\nptys: -1\n' }, ['run', 'x.yaml'], 2, /x\.yaml:2:7: ptys: /],
  // Case files: variants
  ['no variants', { 'x.yaml': 'disks: 8\nvariants: []\n' }, ['run', 'x.yaml'], 2, /variants: name at least one variant/],
  ['a variant twice', { 'x.yaml': 'disks: 8\nvariants: [system, system]\n' }, ['run', 'x.yaml'], 2, /variants\.1: variant "system" is listed twice/],
  ['a variant name with a space', { 'x.yaml': 'disks: 8\nvariants: ["sys tem"]\n' }, ['run', 'x.yaml'], 2, /variants\.0: /],
  ['an unknown variant', { 'x.yaml': 'disks: 8\nvariants: [nosuch]\n' }, ['run', 'x.yaml'], 2, /x\.yaml: variants: unknown variant "nosuch"/],
  ['an inline variant from a missing source', { 'x.yaml': 'disks: 8\nvariants: [{name: mine, source: /nope/qemu}]\n' }, ['run', 'x.yaml'], 2, /x\.yaml: variants\[0\]\.source: \/nope\/qemu: \/nope\/qemu does not exist/],
  ['an inline variant from a missing source at a revision', { 'x.yaml': 'disks: 8\nvariants: [{name: mine, source: "/nope@v7.2.0"}]\n' }, ['run', 'x.yaml'], 2, /variants\[0\]\.source: \/nope@v7\.2\.0: \/nope does not exist/],
  ['a series named ..', { 'x.yaml': 'disks: 8\nvariants: [{name: mine, series: [".."]}]\n' }, ['run', 'x.yaml'], 2, /variants\.0\.series\.0: .*not starting with "\."/],
  ['a series climbing out', { 'x.yaml': 'disks: 8\nvariants: [{name: mine, series: ["../../etc"]}]\n' }, ['run', 'x.yaml'], 2, /variants\.0\.series\.0: /],
  ['a series that does not exist', { 'x.yaml': 'disks: 8\nvariants: [{name: mine, series: [nosuch]}]\n' }, ['run', 'x.yaml'], 2, /no patch series "nosuch"/],
  ['a configure flag that is shell', { 'x.yaml': 'disks: 8\nvariants: [{name: mine, configure: ["; rm -rf /"]}]\n' }, ['run', 'x.yaml'], 2, /variants\.0\.configure\.0: a configure option/],
  ['an inline variant with an unknown key', { 'x.yaml': 'disks: 8\nvariants: [{name: mine, patches: []}]\n' }, ['run', 'x.yaml'], 2, /variants\.0\.patches: unknown key/],
  ['an inline variant named system', { 'x.yaml': 'disks: 8\nvariants: [system, {name: system}]\n' }, ['run', 'x.yaml'], 2, /variant "system" is listed twice/],
  // run: options
  ['run without a case', {}, ['run'], 2, /name at least one case file/],
  ['--seed a space', { 'x.yaml': ok }, ['run', 'x.yaml', '--seed', ' '], 2, /option '--seed <n>' argument ' ' is invalid\. expected a whole number/],
  ['--seed a word', { 'x.yaml': ok }, ['run', 'x.yaml', '--seed', 'abc'], 2, /expected a whole number/],
  ['--seed negative', { 'x.yaml': ok }, ['run', 'x.yaml', '--seed', '-1'], 2, /expected a whole number/],
  ['--seed in hex', { 'x.yaml': ok }, ['run', 'x.yaml', '--seed', '0x10'], 2, /expected a whole number/],
  ['--seed with an exponent', { 'x.yaml': ok }, ['run', 'x.yaml', '--seed', '1e3'], 2, /expected a whole number/],
  ['--seed beyond 2^53', { 'x.yaml': ok }, ['run', 'x.yaml', '--seed', '99999999999999999999'], 2, /expected a whole number/],
  ['--seed of 100 KB', { 'x.yaml': ok }, ['run', 'x.yaml', '--seed', '9'.repeat(100_000)], 2, /argument '9+… \(\d+ characters\)/],
  ['--seed with control bytes', { 'x.yaml': ok }, ['run', 'x.yaml', '--seed', '\x07\x1b[2J'], 2, /argument '\\x07\\x1b\[2J' is invalid/],
  ['--shard 0/2', { 'x.yaml': ok }, ['run', 'x.yaml', '--shard', '0/2'], 2, /expected I\/N/],
  ['--shard 3/2', { 'x.yaml': ok }, ['run', 'x.yaml', '--shard', '3/2'], 2, /expected I\/N/],
  ['--shard a word', { 'x.yaml': ok }, ['run', 'x.yaml', '--shard', 'half'], 2, /expected I\/N/],
  ['--shard of an empty part', { 'x.yaml': ok }, ['run', 'x.yaml', '--shard', '2/2'], 2, /this one would be empty/],
  ['--threshold 0', { 'x.yaml': ok }, ['run', 'x.yaml', '--threshold', '0'], 2, /expected a percentage above 0/],
  ['--alpha 2', { 'x.yaml': ok }, ['run', 'x.yaml', '--alpha', '2'], 2, /expected a probability between 0 and 1/],
  ['--metric unknown', { 'x.yaml': ok }, ['run', 'x.yaml', '--metric', 'speed'], 2, /argument 'speed' is invalid\. Allowed choices are/],
  ['an unknown option', { 'x.yaml': ok }, ['run', 'x.yaml', '--fast'], 2, /unknown option '--fast'/],
  ['an unknown command', {}, ['frobnicate'], 2, /unknown command 'frobnicate'/],
  ['--variants naming a missing file', { 'x.yaml': ok }, ['run', 'x.yaml', '--variants', 'nope.yaml'], 2, /--variants nope\.yaml: no such file/],
  ['--variants naming a directory', { 'x.yaml': ok, 'v/keep': '' }, ['run', 'x.yaml', '--variants', 'v'], 2, /--variants v: is a directory/],
  ['--variants with a bad definition', { 'x.yaml': ok, 'v.yaml': 'mine: {series: [".."]}\n' }, ['run', 'x.yaml', '--variants', 'v.yaml'], 2, /--variants v\.yaml:1:17: mine\.series\.0: /],
  ['--variants redefining system', { 'x.yaml': ok, 'v.yaml': 'system: {}\n' }, ['run', 'x.yaml', '--variants', 'v.yaml'], 2, /"system" is the distribution's binary and cannot be redefined/],
  ['--qemu-src naming a missing path', { 'x.yaml': ok }, ['run', 'x.yaml', '--qemu-src', '/nope/qemu'], 2, /--qemu-src \/nope\/qemu: \/nope\/qemu does not exist/],
  ['--results naming a file', { 'x.yaml': ok, results: 'a file' }, ['run', 'x.yaml', '--results', 'results'], 2, /--results .*results: is not a directory/],
  ['--results below a file', { 'x.yaml': ok, results: 'a file' }, ['run', 'x.yaml', '--results', 'results/sub'], 2, /--results .*results\/sub: is not a directory/],
  // run --resume
  ['--resume and a case', { 'x.yaml': ok, run: RUN }, ['run', 'x.yaml', '--resume', 'run'], 2, /give either case files or --resume RUN, not both/],
  ['--resume a missing directory', {}, ['run', '--resume', 'nope'], 2, /nope: not a run directory \(no run\.json\)/],
  ['--resume a folder without run.json', { 'empty/keep': '' }, ['run', '--resume', 'empty'], 2, /empty: not a run directory \(no run\.json\)/],
  ['--resume a file', { 'f.txt': 'x' }, ['run', '--resume', 'f.txt'], 2, /f\.txt: not a run directory/],
  ['--resume run.json {}', { run: RUN, 'run/run.json': '{}' }, ['run', '--resume', 'run'], 2, /run\/run\.json:1:1: runId: is required/],
  ['--resume run.json null', { run: RUN, 'run/run.json': 'null' }, ['run', '--resume', 'run'], 2, /run\/run\.json:1:1: run\.json is a JSON object/],
  ['--resume run.json an array', { run: RUN, 'run/run.json': '[1]' }, ['run', '--resume', 'run'], 2, /run\.json is a JSON object/],
  ['--resume run.json not JSON', { run: RUN, 'run/run.json': '{"runId": ' }, ['run', '--resume', 'run'], 2, /run\/run\.json:\d+:\d+: YAML syntax error/],
  ['--resume run.json binary', { run: RUN, 'run/run.json': Buffer.from([0, 1, 2, 255]) }, ['run', '--resume', 'run'], 2, /run\/run\.json:/],
  ['--resume run.json seed a word', mutate('seed abc'), ['run', '--resume', 'run'], 2, /run\/run\.json:\d+:\d+: seed: /],
  ['--resume run.json seed fractional', mutate('seed 1.5'), ['run', '--resume', 'run'], 2, /seed: must be a whole number/],
  ['--resume run.json without cases', mutate('no cases'), ['run', '--resume', 'run'], 2, /cases: a run holds at least one case/],
  ['--resume run.json with a bad sha256', mutate('bad sha'), ['run', '--resume', 'run'], 2, /cases\.0\.sha256: a sha256 in hex/],
  ['--resume run.json with an edited case', mutate('edited case'), ['run', '--resume', 'run'], 2, /run\.json: cases\[0\]\.text: does not match its recorded sha256/],
  ['--resume a merged run', mutate('merged'), ['run', '--resume', 'run'], 2, /a merged run cannot be resumed/],
  ['--resume with --alpha', { run: RUN }, ['run', '--resume', 'run', '--alpha', '0.05'], 2, /--resume continues the run as it was started: drop --alpha/],
  ['--resume with --shard', { run: RUN }, ['run', '--resume', 'run', '--shard', '1/2'], 2, /drop --shard/],
  ['--resume a run another emuflock writes', mutate('locked by a live emuflock'), ['run', '--resume', 'run'], 2, /run: another emuflock \(pid \d+\) is writing this run/],
  ['--resume a journal with a garbage line', mutate('garbage line 3'), ['run', '--resume', 'run'], 2, /run\/journal\.jsonl:3: not a JSON line \(garbage\)/],
  // compare
  ['compare a missing run', {}, ['compare', 'nope'], 2, /nope: not a run directory/],
  ['compare run.json {}', { run: RUN, 'run/run.json': '{}' }, ['compare', 'run'], 2, /runId: is required/],
  ['compare run.json null', { run: RUN, 'run/run.json': 'null' }, ['compare', 'run'], 2, /run\.json is a JSON object/],
  ['compare run.json seed a word', mutate('seed abc'), ['compare', 'run'], 2, /seed: /],
  ['compare a journal line without phases', mutate('no phases'), ['compare', 'run'], 2, /run\/journal\.jsonl:1: phases: is required/],
  ['compare a journal with a phase that is a word', mutate('phase a string'), ['compare', 'run'], 2, /journal\.jsonl:1: phases\.totalMs: /],
  ['compare a journal with an unknown outcome', mutate('outcome bogus'), ['compare', 'run'], 2, /journal\.jsonl:1: outcome: /],
  ['compare a journal with a garbage line', mutate('garbage line 3'), ['compare', 'run'], 2, /journal\.jsonl:3: not a JSON line/],
  ['compare an empty journal', { run: RUN, 'run/journal.jsonl': '' }, ['compare', 'run'], 2, /the run has no trials recorded yet/],
  ['compare a binary journal', { run: RUN, 'run/journal.jsonl': Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x0a]) }, ['compare', 'run'], 2, /journal\.jsonl:1: not a JSON line \(\\x1f/],
  ['compare a journal of a newer schema', { run: RUN, 'run/journal.jsonl': '{"schema":99}\n' }, ['compare', 'run'], 2, /journal\.jsonl:1: schema 99 is newer/],
  ['compare --baseline with two runs', { run: RUN }, ['compare', 'run', 'run', '--baseline', 'fixed'], 2, /--baseline compares variants within one run/],
  ['compare --metric unknown', { run: RUN }, ['compare', 'run', '--metric', 'x'], 2, /Allowed choices are/],
  // report
  ['report --out a file', { run: RUN, 'out.yaml': 'disks: 8\n' }, ['report', 'run', '--out', 'out.yaml'], 2, /--out out\.yaml: is a file/],
  ['report --out the run itself', { run: RUN }, ['report', 'run', '--out', 'run'], 2, /--out run: is the run directory or holds it/],
  ['report --out a folder holding the run', { run: RUN }, ['report', 'run', '--out', '.'], 2, /is the run directory or holds it/],
  ['report --out a user\'s folder', { run: RUN, '@user folder': '' }, ['report', 'run', '--out', 'talk'], 2, /--out talk: holds files emuflock did not write \(slides\.odp\)/],
  ['report a journal line without phases', mutate('no phases'), ['report', 'run'], 2, /journal\.jsonl:1: phases: is required/],
  ['report run.json {}', { run: RUN, 'run/run.json': '{}' }, ['report', 'run'], 2, /runId: is required/],
  ['report an unknown format', { run: RUN }, ['report', 'run', '--format', 'pdf'], 2, /unknown report format pdf/],
  ['report a missing run', {}, ['report', 'nope'], 2, /nope: not a run directory/],
  // pipeline and merge
  ['pipeline -o a directory', { 'x.yaml': ok, 'ci/keep': '' }, ['pipeline', 'gitlab', 'x.yaml', '-o', 'ci'], 2, /-o ci: is a directory; name the pipeline file/],
  ['pipeline of a case named like shell code', { 'x;$(touch pwned).yaml': ok }, ['pipeline', 'gitlab', 'x;$(touch pwned).yaml', '-o', '-'], 0, /^$/],
  ['pipeline of a case name with a line break', { 'a\nb.yaml': ok }, ['pipeline', 'gitlab', 'a\nb.yaml', '-o', '-'], 2, /a\\nb\.yaml: a file name with control characters/],
  ['pipeline --shards 0', { 'x.yaml': ok }, ['pipeline', 'gitlab', 'x.yaml', '--shards', '0'], 2, /expected a whole number of shards/],
  ['pipeline --tcg-tag with a space', { 'x.yaml': ok }, ['pipeline', 'gitlab', 'x.yaml', '--tcg-tag', 'a b'], 2, /expected a runner tag/],
  ['pipeline of a case outside the output folder', { 'x.yaml': ok, 'sub/keep': '' }, ['pipeline', 'gitlab', 'x.yaml', '-o', 'sub/ci.yml'], 2, /x\.yaml: outside .*sub, where the pipeline runs/],
  ['pipeline of a missing case', {}, ['pipeline', 'gitlab', 'nope.yaml', '-o', '-'], 2, /nope\.yaml: no such file/],
  ['pipeline of an alias bomb', { 'x.yaml': bomb }, ['pipeline', 'gitlab', 'x.yaml', '-o', '-'], 2, /YAML aliases expand too far/],
  ['merge a missing run', {}, ['merge', 'nope'], 2, /nope: not a run directory/],
  ['merge run.json null', { run: RUN, 'run/run.json': 'null' }, ['merge', 'run'], 2, /run\.json is a JSON object/],
  // build, bisect, doctor
  ['build an unknown variant', {}, ['build', 'nosuch'], 2, /emuflock build: unknown variant "nosuch"/],
  ['build with a missing variants file', {}, ['build', 'x', '--variants', 'nope.yaml'], 2, /nope\.yaml: no such file/],
  ['build for an unknown arch', {}, ['build', 'upstream', '--arch', 'arm'], 2, /Allowed choices are s390x, x86_64/],
  ['bisect without --repo', { 'x.yaml': ok }, ['bisect', '--good', 'a', '--bad', 'b', '--case', 'x.yaml'], 2, /bisect: --repo is required/],
  ['bisect of a folder that is no git repository', { 'x.yaml': ok, 'repo/keep': '' }, ['bisect', '--repo', 'repo', '--good', 'HEAD~1', '--bad', 'HEAD', '--case', 'x.yaml'], 2, /--repo repo: no revision "HEAD~1"/],
  ['bisect of a repository that is not QEMU', { 'x.yaml': ok, '@not qemu repo': '' }, ['bisect', '--repo', 'repo', '--good', 'HEAD~1', '--bad', 'HEAD', '--case', 'x.yaml'], 2, /--repo repo: not a QEMU repository at HEAD \(no configure\)/],
  ['bisect --resume of a missing folder', {}, ['bisect', '--resume', 'nope'], 2, /nope: not a bisect directory/],
  ['bisect --runs 0', {}, ['bisect', '--runs', '0'], 2, /expected a whole number, at least 1/],
  ['doctor of a missing case', {}, ['doctor', 'nope.yaml'], 2, /nope\.yaml: no such file/],
  ['doctor of an alias bomb', { 'x.yaml': bomb }, ['doctor', 'x.yaml'], 2, /YAML aliases expand too far/],
  ['doctor of a binary case', { 'x.yaml': Buffer.from([0, 0, 0, 0]) }, ['doctor', 'x.yaml'], 2, /a binary file/],
];

async function setUp(dir: string, files: Files): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    if (content === RUN) await cp(seedDrainFixture, join(dir, name), { recursive: true });
  }
  for (const [name, content] of Object.entries(files)) {
    if (content === RUN) continue;
    if (name.startsWith('@')) {
      await mutations[name.slice(1)]!(dir);
      continue;
    }
    await mkdir(join(dir, name, '..'), { recursive: true });
    if (!name.endsWith('/keep')) await writeFile(join(dir, name), content);
  }
}

/** Every file and folder under dir with its size and modification time: what "touched" compares. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await readdir(dir, { recursive: true })) {
    if (rel === 'tmp' || rel.startsWith('tmp/') || rel.includes('/.git/') || rel.endsWith('/.git')) continue;
    const s = await stat(join(dir, rel));
    out.push(`${rel} ${s.isDirectory() ? 'dir' : s.size} ${s.isDirectory() ? '' : s.mtimeMs}`);
  }
  return out.sort();
}

interface Outcome {
  exitCode: number | undefined;
  stderr: string;
  stdout: string;
  before: string[];
  after: string[];
  leftInTmp: string[];
}

async function runRow([, files, args]: Row): Promise<Outcome> {
  const dir = await tempDir('emuflock-hostile-');
  await mkdir(join(dir, 'tmp'));
  await setUp(dir, files);
  const before = await snapshot(dir);
  const r = await execa(...cliCommand([...args]), {
    cwd: dir,
    reject: false,
    env: { TMPDIR: join(dir, 'tmp'), EMUFLOCK_RESULTS: '' },
    timeout: 120_000,
  });
  return {
    exitCode: r.exitCode,
    stderr: String(r.stderr),
    stdout: String(r.stdout),
    before,
    after: await snapshot(dir),
    leftInTmp: await readdir(join(dir, 'tmp')),
  };
}

/** Two at a time: the machine has two cores, and each row is one short node process. */
async function runAll(all: Row[]): Promise<Outcome[]> {
  const results: Outcome[] = new Array(all.length);
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const i = next++;
      results[i] = await runRow(all[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

t.test(`${rows.length} hostile inputs: one clear line, the documented exit code, no stack trace, nothing touched`, { timeout: 900_000 }, async (t) => {
  t.ok(rows.length >= 100, `at least 100 cases (${rows.length})`);
  t.equal(new Set(rows.map((r) => r[0])).size, rows.length, 'row names are unique');
  const outcomes = await runAll(rows);
  let stackTraces = 0;
  rows.forEach((row, i) => {
    const [name, , , exit, fragment] = row;
    const o = outcomes[i]!;
    const message = exit === 0 ? '' : o.stderr.trim();
    const traced = /\n\s+at .+:\d+:\d+\)?$/m.test(o.stderr) || /internal error/.test(o.stderr);
    if (traced) stackTraces++;
    t.equal(o.exitCode, exit, `${name}: exit ${exit} (${o.stderr.trim().split('\n')[0]?.slice(0, 200)})`);
    t.match(message, fragment, `${name}: says what is wrong`);
    t.notOk(traced, `${name}: no stack trace`);
    t.ok(o.stderr.split('\n').every((l) => l.length <= 500), `${name}: every line of the message is short`);
    t.same(o.after, o.before, `${name}: no file created, changed or removed`);
    t.same(o.leftInTmp, [], `${name}: nothing left in TMPDIR`);
  });
  t.equal(stackTraces, 0, 'no stack trace in any case');
  const exits = new Map<number | undefined, number>();
  for (const o of outcomes) exits.set(o.exitCode, (exits.get(o.exitCode) ?? 0) + 1);
  t.comment(`hostile inputs: ${rows.length} cases; exits ${[...exits].map(([c, n]) => `${c}: ${n}`).join(', ')}; ${stackTraces} stack traces`);
});
