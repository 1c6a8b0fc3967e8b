import t from 'tap';
import { execa } from 'execa';
import { cp, lstat, mkdir, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliCommand, repoRoot, tempDir } from '../helpers.js';
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
/** What a row needs beyond files: its own environment, or a tmpfs mounted at a folder (in a mount namespace of its own). */
interface RowOptions {
  env?: Record<string, string>;
  /** `copy`: files of the row's directory copied into the tmpfs once mounted (it starts empty). */
  mount?: { at: string; options: string; copy?: string[] };
}
type Row = [name: string, files: Files, args: string[], exit: number, fragment: RegExp, options?: RowOptions];

const ok = 'disks: 8\n';
/** One patch as git format-patch writes it: a series review accepts, so that what follows is what is checked. */
const mbox = [
  'From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001',
  'From: Ada Lovelace <ada@example.org>',
  'Date: Mon, 1 Jan 2024 00:00:00 +0000',
  'Subject: [PATCH] hw/s390x: say hello',
  '',
  'A change.',
  '---',
  ' README | 1 +',
  ' 1 file changed, 1 insertion(+)',
  '',
  'diff --git a/README b/README',
  '--- a/README',
  '+++ b/README',
  '@@ -1 +1,2 @@',
  ' QEMU',
  '+hello',
  '-- ',
  '2.39.5',
  '',
].join('\n');
const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`), 'disks: 8'].join('\n');
const runJson = (f: (m: Record<string, unknown>) => unknown) => async (dir: string) => {
  const m = JSON.parse(await readFile(join(dir, 'run', 'run.json'), 'utf8'));
  await writeFile(join(dir, 'run', 'run.json'), JSON.stringify(f(m)));
};
const journalLines = async (dir: string) => (await readFile(join(dir, 'run', 'journal.jsonl'), 'utf8')).split('\n');
/** The recorded journal's lines (the last one empty) rewritten. */
const journal = (f: (lines: string[]) => string[]) => async (dir: string) => {
  await writeFile(join(dir, 'run', 'journal.jsonl'), f(await journalLines(dir)).join('\n'));
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const line = (text: string, f: (o: any) => unknown) => JSON.stringify(f(JSON.parse(text)));
/** A file of the recorded run replaced by something else (a link, a FIFO, a folder). */
const replaceWith = (rel: string, make: (path: string) => Promise<void>) => async (dir: string) => {
  await rm(join(dir, rel), { force: true });
  await make(join(dir, rel));
};
/** The first journal line with its total set to `value` (as an editor or a damaged disk would). */
function firstLinePhase(value: number) {
  return async (dir: string) => {
    const [first, ...rest] = await journalLines(dir);
    const o = JSON.parse(first!);
    o.phases.totalMs = value;
    await writeFile(join(dir, 'run', 'journal.jsonl'), [JSON.stringify(o), ...rest].join('\n'));
  };
}

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
  'phase negative': firstLinePhase(-5000),
  'phase 1e300': firstLinePhase(1e300),
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
  // A run's identity (journal/run-identity.ts): each of these mixes data into a run.
  'duplicate trial': journal((lines) => [...lines.slice(0, -1), lines[0]!, '']),
  'conflicting duplicate': journal((lines) => [...lines.slice(0, -1), line(lines[0]!, (o) => ({ ...o, phases: { ...o.phases, totalMs: 900_000 } })), '']),
  'foreign runId': journal((lines) => [line(lines[0]!, (o) => ({ ...o, runId: '20260101-000000-other' })), ...lines.slice(1)]),
  'unknown point': journal((lines) => [line(lines[0]!, (o) => ({ ...o, point: 'disks=7', trialId: 'seed-drain/upstream/disks=7/r0' })), ...lines.slice(1)]),
  'unknown variant': journal((lines) => [line(lines[0]!, (o) => ({ ...o, variant: { ...o.variant, name: 'evil' }, trialId: o.trialId.replace('upstream', 'evil') })), ...lines.slice(1)]),
  'trial id edited': journal((lines) => [line(lines[0]!, (o) => ({ ...o, trialId: 'seed-drain/upstream/disks=500/r99' })), ...lines.slice(1)]),
  'escaped case': journal((lines) => [line(lines[0]!, (o) => ({ ...o, case: '../../../w/escaped', trialId: o.trialId.replace('seed-drain', '../../../w/escaped') })), ...lines.slice(1)]),
  'case with a slash': journal((lines) => [line(lines[0]!, (o) => ({ ...o, case: 'a/b' })), ...lines.slice(1)]),
  'case file edited': runJson((m) => ({ ...m, cases: (m.cases as { file: string }[]).map((c) => ({ ...c, file: 'cases/other.yaml' })) })),
  'case twice': runJson((m) => ({ ...m, cases: [...(m.cases as object[]), ...(m.cases as object[])] })),
  'case name escaping': runJson((m) => ({ ...m, cases: (m.cases as object[]).map((c) => ({ ...c, name: '../../../w/escaped', file: '../../../w/escaped.yaml' })) })),
  'case name with a slash': runJson((m) => ({ ...m, cases: (m.cases as object[]).map((c) => ({ ...c, name: 'a/b' })) })),
  'case name empty': runJson((m) => ({ ...m, cases: (m.cases as object[]).map((c) => ({ ...c, name: '' })) })),
  // Inputs that are not regular files (core/bounded-read.ts).
  'journal is /dev/zero': replaceWith('run/journal.jsonl', (p) => symlink('/dev/zero', p)),
  'report is a link to itself': async (dir) => {
    await rm(join(dir, 'run', 'report'), { recursive: true, force: true });
    await symlink('report', join(dir, 'run', 'report'));
  },
  'journal is a FIFO': replaceWith('run/journal.jsonl', (p) => execa('mkfifo', [p]).then(() => {})),
  'journal is a folder': replaceWith('run/journal.jsonl', (p) => mkdir(p).then(() => {})),
  'journal is a dangling link': replaceWith('run/journal.jsonl', (p) => symlink('nowhere', p)),
  'journal is 300 MB sparse': replaceWith('run/journal.jsonl', (p) => writeFile(p, '').then(() => truncate(p, 300 * 1024 * 1024))),
  'run.json is /dev/zero': replaceWith('run/run.json', (p) => symlink('/dev/zero', p)),
  'run.json is a FIFO': replaceWith('run/run.json', (p) => execa('mkfifo', [p]).then(() => {})),
  'run.json is a folder': replaceWith('run/run.json', (p) => mkdir(p).then(() => {})),
  'case is a FIFO': (dir) => execa('mkfifo', [join(dir, 'x.yaml')]).then(() => {}),
  'case is /dev/zero': (dir) => symlink('/dev/zero', join(dir, 'x.yaml')),
  'case is 5 MB': (dir) => writeFile(join(dir, 'x.yaml'), `disks: 8\n${'#'.repeat(5 * 1024 * 1024)}\n`),
  'variants is a FIFO': (dir) => execa('mkfifo', [join(dir, 'v.yaml')]).then(() => {}),
  'mbox is a FIFO': (dir) => execa('mkfifo', [join(dir, 's.mbox')]).then(() => {}),
  'mbox is /dev/zero': (dir) => symlink('/dev/zero', join(dir, 's.mbox')),
  'mbox is 70 MB sparse': (dir) => writeFile(join(dir, 's.mbox'), '').then(() => truncate(join(dir, 's.mbox'), 70 * 1024 * 1024)),
  'bisect.json is /dev/zero': async (dir) => {
    await mkdir(join(dir, 'b'));
    await symlink('/dev/zero', join(dir, 'b', 'bisect.json'));
  },
  // Report and mail output folders that are not folders of their own.
  'out links to a folder': async (dir) => {
    await mkdir(join(dir, 'elsewhere'));
    await symlink('elsewhere', join(dir, 'out'));
  },
  'out is a dangling link': (dir) => symlink('nowhere', join(dir, 'out')),
  'out links to an old report': async (dir) => {
    await mkdir(join(dir, 'old'));
    await writeFile(join(dir, 'old', '.emuflock-report'), 'report of x\n');
    await symlink('old', join(dir, 'out'));
  },
  'a bisect of a repository that is not QEMU': async (dir) => {
    await mutations['not qemu repo']!(dir);
    const rev = async (r: string) => (await execa('git', ['-C', join(dir, 'repo'), 'rev-parse', r])).stdout.trim();
    await mkdir(join(dir, 'b'));
    const state = { version: 1, repo: join(dir, 'repo'), good: await rev('HEAD~1'), bad: await rev('HEAD'), goodRev: 'HEAD~1', badRev: 'HEAD', caseName: 'x', caseText: 'disks: 8\n', metric: 'totalMs', runs: { calibration: 3, step: 3, max: 10, verify: 5 }, commits: {} };
    await writeFile(join(dir, 'b', 'bisect.json'), JSON.stringify(state));
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
/** A mutation of a fresh directory, without the recorded run. */
const only = (name: keyof typeof mutations, files: Files = {}): Files => ({ ...files, [`@${name}`]: '' });

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
  ['a 195-character case name, bad content', { [`${'c'.repeat(190)}.yaml`]: 'disks: 0\n' }, ['run', `${'c'.repeat(190)}.yaml`], 2, /c{190}\.yaml:1:8: disks: must be at least 1/],
  ['a 245-character case name', { [`${'c'.repeat(245)}.yaml`]: ok }, ['run', `${'c'.repeat(245)}.yaml`], 2, /c{60}.*… \(250 characters\): the case's name .* is longer than 200 bytes/],
  ['a case name with a line break', { 'a\nb.yaml': 'disks: 0\n' }, ['run', 'a\nb.yaml'], 2, /a\\nb\.yaml: the case's name .*"a\\nb" holds a control or invisible character/],
  ['a case name with an escape sequence', { '\x1b[31mred.yaml': 'disks: 0\n' }, ['run', '\x1b[31mred.yaml'], 2, /\\x1b\[31mred\.yaml: the case's name .*holds a control or invisible character/],
  // Case files: fields
  ['a 200,000-character machine', { 'x.yaml': `disks: 8\nmachine: ${'a'.repeat(200_000)}\n` }, ['run', 'x.yaml'], 2, /x\.yaml:2:10: machine: at most 64 characters$/],
  ['a machine with a comma', { 'x.yaml': 'disks: 8\nmachine: s390-ccw-virtio,accel=kvm\n' }, ['run', 'x.yaml'], 2, /machine: letters, digits/],
  ['a machine with a space', { 'x.yaml': 'disks: 8\nmachine: "a b"\n' }, ['run', 'x.yaml'], 2, /machine: letters, digits/],
  ['a machine no QEMU of the target has, before any build', { 'x.yaml': 'disks: 8\nmachine: nosuchmachine\nvariants: [upstream]\n' }, ['run', 'x.yaml'], 2, /x\.yaml:2:10: machine: "nosuchmachine" is not a machine type of s390x QEMU \(s390-ccw-virtio, s390-ccw-virtio-X\.Y\)$/],
  ['a machine the variant\'s QEMU does not have', { 'x.yaml': 'disks: 8\nmachine: s390-ccw-virtio-1.0\n' }, ['run', 'x.yaml'], 2, /x\.yaml: machine: "s390-ccw-virtio-1\.0" is not a machine type of .*qemu-system-s390x \(variant system\)/],
  ['a case file named ..yaml (its name would be a folder)', { '..yaml': ok }, ['run', '..yaml'], 2, /\.\.yaml: the case's name \(its file name without the extension\): "\." names a folder, not a file/],
  ['a case file whose name holds a zero-width space', { 'a\u200bb.yaml': ok }, ['run', 'a\u200bb.yaml'], 2, /a\\u\{200b\}b\.yaml: the case's name .*holds a control or invisible character/],
  ['a case file at a path longer than messages show', { [`${'d'.repeat(120)}/${'e'.repeat(60)}/x.yaml`]: 'disks: 0\n' }, ['run', `${'d'.repeat(120)}/${'e'.repeat(60)}/x.yaml`], 2, /d{120}\/e{60}\/x\.yaml:1:8: disks: must be at least 1/],
  ['a case file whose name holds a tab', { 'a\tb.yaml': ok }, ['run', 'a\tb.yaml'], 2, /a\\tb\.yaml: the case's name .*"a\\tb" holds a control or invisible character/],
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
  ['--resume run.json not JSON', { run: RUN, 'run/run.json': '{"runId": ' }, ['run', '--resume', 'run'], 2, /run\/run\.json:\d+:\d+: JSON syntax error: /],
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
  ['compare a journal with a negative time', mutate('phase negative'), ['compare', 'run'], 2, /journal\.jsonl:1: phases\.totalMs: a duration is not negative/],
  ['report a journal with a time of 1e300 ms', mutate('phase 1e300'), ['report', 'run'], 2, /journal\.jsonl:1: phases\.totalMs: more than 100 days/],
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
  ['pipeline gitlab-history of one source', { 'x.yaml': ok }, ['pipeline', 'gitlab-history', 'x.yaml', '--source', 'debian:sid', '-o', '-'], 2, /name at least two sources/],
  ['pipeline gitlab-history of a source with a line break', { 'x.yaml': ok }, ['pipeline', 'gitlab-history', 'x.yaml', '--source', 'debian:sid\ntouch pwned', '--source', 'debian:trixie', '-o', '-'], 2, /"debian:sid\\ntouch pwned" holds a control character/],
  ['pipeline gitlab-history of a range without --shards', { 'x.yaml': ok }, ['pipeline', 'gitlab-history', 'x.yaml', '--repo', 'r', '--range', 'a..b', '-o', '-'], 2, /--range names a number of commits known only to git; give --shards N/],
  ['merge-history a missing folder', {}, ['merge-history', 'nope', '--out', 'm'], 2, /nope: not a history directory \(no history\.json\)/],
  ['merge-history without --out', {}, ['merge-history', 'nope'], 2, /required option '--out <dir>' not specified/],
  ['merge-history of a history.json that is null', { 'h/history.json': 'null' }, ['merge-history', 'h', '--out', 'm'], 2, /history\.json is a JSON object/],
  ['history --shard 3/2', { 'x.yaml': ok }, ['history', 'x.yaml', '--source', 'debian:sid', '--source', 'debian:trixie', '--shard', '3/2'], 2, /expected I\/N, the I-th of N shards/],
  ['history --shard with --resume', {}, ['history', '--resume', 'h', '--shard', '1/2'], 2, /--shard measures part of a new history/],
  ['history --decide-up-to -1', { 'x.yaml': ok }, ['history', 'x.yaml', '--source', 'debian:sid', '--decide-up-to', '-1'], 2, /--decide-up-to.*expected a whole number, 0 or more/],
  ['history --decide-up-to 3 (too few to decide)', { 'x.yaml': ok }, ['history', 'x.yaml', '--source', 'debian:sid', '--decide-up-to', '3'], 2, /--decide-up-to 3: fewer than 5 trials a side can never decide at alpha 0\.01/],
  ['history --decide-up-to 2.5', { 'x.yaml': ok }, ['history', 'x.yaml', '--source', 'debian:sid', '--decide-up-to', '2.5'], 2, /expected a whole number, 0 or more/],
  ['series-matrix without a source', {}, ['series-matrix'], 2, /name a QEMU source/],
  ['series-matrix --rev without --repo', {}, ['series-matrix', '--rev', 'master'], 2, /--rev names revisions of --repo PATH; give --repo/],
  ['series-matrix of an unknown series', {}, ['series-matrix', 'nosuch', '--source', 'debian:sid'], 2, /no series nosuch in .*patches \(there are: blk-aio-context-unchanged, /],
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
  // One run, one identity: case names unique in a run, trial ids unique in a journal, every
  // line's runId, case, variant and point the plan's (journal/run-identity.ts, case/matrix.ts).
  ['two cases of one name', { 'a/same.yaml': ok, 'b/same.yaml': 'disks: 9\n' }, ['run', 'a/same.yaml', 'b/same.yaml'], 2, /a\/same\.yaml and b\/same\.yaml are both named "same".*rename one/],
  ['one case file twice', { 'x.yaml': ok }, ['run', 'x.yaml', 'x.yaml'], 2, /x\.yaml: given twice; a run holds each case once/],
  ['one case file twice, by two paths', { 'x.yaml': ok }, ['run', 'x.yaml', './x.yaml'], 2, /x\.yaml: given twice/],
  ['doctor of two cases of one name', { 'a/same.yaml': ok, 'b/same.yaml': ok }, ['doctor', 'a/same.yaml', 'b/same.yaml'], 2, /both named "same"/],
  ['pipeline of two cases of one name', { 'a/same.yaml': ok, 'b/same.yaml': ok }, ['pipeline', 'gitlab', 'a/same.yaml', 'b/same.yaml', '-o', '-'], 2, /both named "same"/],
  ['compare a journal with a trial twice', mutate('duplicate trial'), ['compare', 'run'], 2, /journal\.jsonl:28: trial seed-drain\/upstream\/disks=500\/r0 is recorded twice \(first on line 1\)/],
  ['report a journal with a trial twice', mutate('duplicate trial'), ['report', 'run'], 2, /journal\.jsonl:28: .*recorded twice/],
  ['--resume a journal with a trial twice', mutate('duplicate trial'), ['run', '--resume', 'run'], 2, /journal\.jsonl:28: .*recorded twice/],
  ['merge a journal with a trial twice', mutate('duplicate trial'), ['merge', 'run', '--out', 'merged'], 2, /journal\.jsonl:28: .*recorded twice/],
  ['compare a conflicting duplicate trial', mutate('conflicting duplicate'), ['compare', 'run'], 2, /journal\.jsonl:28: .*recorded twice/],
  ['report a conflicting duplicate trial', mutate('conflicting duplicate'), ['report', 'run'], 2, /recorded twice/],
  ['--resume a conflicting duplicate trial', mutate('conflicting duplicate'), ['run', '--resume', 'run'], 2, /recorded twice/],
  ['compare a line of another run', mutate('foreign runId'), ['compare', 'run'], 2, /journal\.jsonl:1: runId "20260101-000000-other" is not this run's/],
  ['report a line of another run', mutate('foreign runId'), ['report', 'run'], 2, /journal\.jsonl:1: runId .* is not this run's/],
  ['--resume a line of another run', mutate('foreign runId'), ['run', '--resume', 'run'], 2, /journal\.jsonl:1: runId .* is not this run's/],
  ['merge a line of another run', mutate('foreign runId'), ['merge', 'run', '--out', 'merged'], 2, /journal\.jsonl:1: runId .* is not this run's/],
  ['compare a point the plan never had', mutate('unknown point'), ['compare', 'run'], 2, /journal\.jsonl:1: variant "upstream" at point "disks=7" is not in case seed-drain's plan/],
  ['report a point the plan never had', mutate('unknown point'), ['report', 'run'], 2, /point "disks=7" is not in case seed-drain's plan/],
  ['--resume a point the plan never had', mutate('unknown point'), ['run', '--resume', 'run'], 2, /point "disks=7" is not in case seed-drain's plan/],
  ['compare a variant the case never had', mutate('unknown variant'), ['compare', 'run'], 2, /variant "evil" at point "disks=500" is not in case seed-drain's plan/],
  ['compare a trial id that is not its trial\'s', mutate('trial id edited'), ['compare', 'run'], 2, /trialId "seed-drain\/upstream\/disks=500\/r99" does not match/],
  ['report a line whose case climbs out', mutate('escaped case'), ['report', 'run'], 2, /journal\.jsonl:1: case "\.\.\/\.\.\/\.\.\/w\/escaped" is not one of the run's cases/],
  ['merge a line whose case climbs out', mutate('escaped case'), ['merge', 'run', '--out', 'merged'], 2, /case "\.\.\/\.\.\/\.\.\/w\/escaped" is not one of the run's cases/],
  ['report a line whose case has a slash', mutate('case with a slash'), ['report', 'run'], 2, /case "a\/b" is not one of the run's cases/],
  ['compare a line whose case has a slash', mutate('case with a slash'), ['compare', 'run'], 2, /case "a\/b" is not one of the run's cases/],
  ['--resume after run.json\'s case file was edited', mutate('case file edited'), ['run', '--resume', 'run'], 2, /run\.json: cases\[0\]\.name: "seed-drain" is not the name of its file \(cases\/other\.yaml\)/],
  ['report after run.json\'s case file was edited', mutate('case file edited'), ['report', 'run'], 2, /cases\[0\]\.name: .* is not the name of its file/],
  ['compare a run.json with a case twice', mutate('case twice'), ['compare', 'run'], 2, /cases\[1\]\.name: "seed-drain" is named twice/],
  ['--resume a run.json with a case twice', mutate('case twice'), ['run', '--resume', 'run'], 2, /is named twice/],
  ['report a run.json whose case name climbs out', mutate('case name escaping'), ['report', 'run'], 2, /cases\[0\]\.name: "\.\.\/\.\.\/\.\.\/w\/escaped" holds a path separator/],
  ['merge a run.json whose case name climbs out', mutate('case name escaping'), ['merge', 'run', '--out', 'merged'], 2, /holds a path separator/],
  ['report a run.json whose case name has a slash', mutate('case name with a slash'), ['report', 'run'], 2, /cases\[0\]\.name: "a\/b" holds a path separator/],
  ['compare a run.json with an empty case name', mutate('case name empty'), ['compare', 'run'], 2, /cases\.0\.name: /],
  // Inputs read whole are regular files of a bounded size (core/bounded-read.ts): a FIFO, a
  // device or a runaway file is refused, never waited on or read into memory.
  ['a case that is a FIFO', only('case is a FIFO'), ['run', 'x.yaml'], 2, /x\.yaml: is a named pipe, not a regular file/],
  ['a case that is /dev/zero', only('case is /dev/zero'), ['run', 'x.yaml'], 2, /x\.yaml: is not a regular file \(a device or a socket\)/],
  ['/dev/zero as the case', {}, ['run', '/dev/zero'], 2, /\/dev\/zero: is not a regular file/],
  ['/dev/stdin as the case', {}, ['run', '/dev/stdin'], 2, /\/dev\/stdin: is (not a regular file|a named pipe)/],
  ['a 5 MB case', only('case is 5 MB'), ['run', 'x.yaml'], 2, /x\.yaml: larger than 4 MiB/],
  ['doctor of a FIFO', only('case is a FIFO'), ['doctor', 'x.yaml'], 2, /is a named pipe/],
  ['pipeline of a FIFO', only('case is a FIFO'), ['pipeline', 'gitlab', 'x.yaml', '-o', '-'], 2, /is a named pipe/],
  ['--variants a FIFO', only('variants is a FIFO', { 'x.yaml': ok }), ['run', 'x.yaml', '--variants', 'v.yaml'], 2, /v\.yaml: is a named pipe/],
  ['--resume a journal linked to /dev/zero', mutate('journal is /dev/zero'), ['run', '--resume', 'run'], 2, /journal\.jsonl: is not a regular file/],
  ['report where report/ is a link to itself names no flag it was not given', mutate('report is a link to itself'), ['report', 'run'], 2, /^emuflock: the run's report folder .*run\/report: is a symbolic link/],
  ['compare a journal linked to /dev/zero', mutate('journal is /dev/zero'), ['compare', 'run'], 2, /journal\.jsonl: is not a regular file/],
  ['report a journal that is a FIFO', mutate('journal is a FIFO'), ['report', 'run'], 2, /journal\.jsonl: is a named pipe/],
  ['--resume a journal that is a FIFO', mutate('journal is a FIFO'), ['run', '--resume', 'run'], 2, /journal\.jsonl: is a named pipe/],
  ['--resume a journal that is a folder', mutate('journal is a folder'), ['run', '--resume', 'run'], 2, /journal\.jsonl: is a directory, not a file/],
  ['compare a journal that is a folder', mutate('journal is a folder'), ['compare', 'run'], 2, /journal\.jsonl: is a directory/],
  ['compare a journal that is a dangling link', mutate('journal is a dangling link'), ['compare', 'run'], 2, /journal\.jsonl: no journal here/],
  ['compare a 300 MB journal', mutate('journal is 300 MB sparse'), ['compare', 'run'], 2, /journal\.jsonl: larger than 256 MiB/],
  ['--resume a 300 MB journal', mutate('journal is 300 MB sparse'), ['run', '--resume', 'run'], 2, /journal\.jsonl: larger than 256 MiB/],
  ['compare a run.json linked to /dev/zero', mutate('run.json is /dev/zero'), ['compare', 'run'], 2, /run: not a run directory \(.*is not a regular file/],
  ['--resume a run.json that is a FIFO', mutate('run.json is a FIFO'), ['run', '--resume', 'run'], 2, /run: not a run directory \(.*named pipe/],
  ['--resume a run.json that is a folder', mutate('run.json is a folder'), ['run', '--resume', 'run'], 2, /run: not a run directory \(.*is a directory/],
  ['review of a FIFO', only('mbox is a FIFO', { 'x.yaml': ok }), ['review', 's.mbox', '--case', 'x.yaml'], 2, /s\.mbox: is a named pipe/],
  ['review of /dev/zero', only('mbox is /dev/zero', { 'x.yaml': ok }), ['review', 's.mbox', '--case', 'x.yaml'], 2, /s\.mbox: is not a regular file/],
  ['review of a 70 MB mbox', only('mbox is 70 MB sparse', { 'x.yaml': ok }), ['review', 's.mbox', '--case', 'x.yaml'], 2, /s\.mbox: larger than 64 MiB/],
  ['bisect --resume with bisect.json linked to /dev/zero', only('bisect.json is /dev/zero'), ['bisect', '--resume', 'b'], 2, /b: not a bisect directory \(bisect\.json: is not a regular file/],
  // Validation before any fetch, build or boot: each of these once fetched QEMU's source first.
  ['review --max-repetitions 0', { 'x.yaml': ok, 's.mbox': mbox }, ['review', 's.mbox', '--case', 'x.yaml', '--max-repetitions', '0'], 2, /--max-repetitions <n>' argument '0' is invalid\. expected 1 to 1000 repetitions/],
  ['review --max-repetitions 100000', { 'x.yaml': ok, 's.mbox': mbox }, ['review', 's.mbox', '--case', 'x.yaml', '--max-repetitions', '100000'], 2, /expected 1 to 1000 repetitions/],
  ['review with a base whose series does not exist', { 'x.yaml': 'disks: 8\nvariants: [{name: mine, series: [nosuch]}]\n', 's.mbox': mbox }, ['review', 's.mbox', '--case', 'x.yaml'], 2, /no patch series "nosuch"/],
  ['review of a case beyond the host\'s memory', { 'x.yaml': 'disks: 8\nmemoryMiB: 1000000000\nvariants: [{name: mine}]\n', 's.mbox': mbox }, ['review', 's.mbox', '--case', 'x.yaml'], 2, /memoryMiB: 1000000000 MiB of guest memory is more than this host has/],
  ['review --tested-by with a second trailer', { 'x.yaml': ok, 's.mbox': mbox }, ['review', 's.mbox', '--case', 'x.yaml', '--tested-by', 'Ada <a@b.org>\nSigned-off-by: Eve <e@v.e>'], 2, /--tested-by "Ada <a@b\.org>\\nSigned-off-by.*on one line/],
  ['review --tested-by with a carriage return', { 'x.yaml': ok, 's.mbox': mbox }, ['review', 's.mbox', '--case', 'x.yaml', '--tested-by', 'Ada\r <a@b.org>'], 2, /on one line/],
  ['a series only a --variants file names, missing', { 'x.yaml': 'disks: 8\nvariants: [mine]\n', 'v.yaml': 'mine: {series: [nosuch]}\n' }, ['run', 'x.yaml', '--variants', 'v.yaml'], 2, /variant mine: no patch series "nosuch"/],
  ['a case\'s source at a revision its repository lacks', only('not qemu repo', { 'x.yaml': 'disks: 8\nvariants: [{name: mine, source: "repo@nosuch"}]\n' }), ['run', 'x.yaml'], 2, /x\.yaml: variants\[0\]\.source: repo@nosuch: no revision "nosuch" in .*repo/],
  ['--qemu-src at a revision its repository lacks', only('not qemu repo', { 'x.yaml': 'disks: 8\nvariants: [{name: mine}]\n' }), ['run', 'x.yaml', '--qemu-src', 'repo@nosuch'], 2, /--qemu-src repo@nosuch: no revision "nosuch"/],
  ['doctor of a case beyond the host\'s memory', { 'x.yaml': 'disks: 8\nmemoryMiB: 100000000\n' }, ['doctor', 'x.yaml'], 2, /memoryMiB: 100000000 MiB of guest memory is more than this host has/],
  // mail: the series from patches/ only, the output folder its own.
  ['mail a series path climbing out', {}, ['mail', '../../elsewhere/series', '--base', 'upstream'], 2, /series: "\.\.\/\.\.\/elsewhere\/series" holds a path separator/],
  ['mail an absolute series path', {}, ['mail', '/etc', '--base', 'upstream'], 2, /holds a path separator/],
  ['mail a series named ..', {}, ['mail', '..', '--base', 'upstream'], 2, /series: "\.\." names a folder/],
  ['mail a series that does not exist', {}, ['mail', 'nosuch', '--base', 'upstream'], 2, /mail: no patch series "nosuch"/],
  ['mail -o a file', { 'out.txt': 'mine' }, ['mail', 'drive-unit-lookup', '--base', 'upstream', '-o', 'out.txt'], 2, /-o out\.txt: is not a folder/],
  ['mail -o /proc/self/fd/1', {}, ['mail', 'drive-unit-lookup', '--base', 'upstream', '-o', '/proc/self/fd/1'], 2, /-o \/proc\/self\/fd\/1: is not a folder/],
  ['mail -o a folder of other files', { 'out/notes.txt': 'mine' }, ['mail', 'drive-unit-lookup', '--base', 'upstream', '-o', 'out'], 2, /-o out: holds files that are not mails of git format-patch \(notes\.txt\)/],
  ['mail --base naming nothing', {}, ['mail', 'drive-unit-lookup', '--base', 'nosuchvariant'], 2, /--base nosuchvariant: neither a variant \(.*\) nor a QEMU source/],
  // report, merge and talk outputs.
  ['report --out a link to a folder', mutate('out links to a folder'), ['report', 'run', '--out', 'out'], 2, /--out out: is a symbolic link/],
  ['report --out a dangling link', mutate('out is a dangling link'), ['report', 'run', '--out', 'out'], 2, /--out out: is a symbolic link/],
  ['report --out a link to an old report', mutate('out links to an old report'), ['report', 'run', '--out', 'out'], 2, /--out out: is a symbolic link/],
  ['report --format empty', { run: RUN }, ['report', 'run', '--format', ''], 2, /--format "": expected a comma-separated list of names, none of them empty/],
  ['report --format with an empty item', { run: RUN }, ['report', 'run', '--format', 'png,'], 2, /--format "png,": expected a comma-separated list/],
  ['talk --only of commas', {}, ['talk', join(repoRoot, 'cases', 'talk', 'claims.yaml'), '--only', ',,'], 2, /--only ",,": expected a comma-separated list/],
  ['merge --out into a folder of other runs', { run: RUN, 'res/other/keep': '' }, ['merge', 'run', '--out', 'res'], 2, /--out res: holds other files \(other\); a merged run goes into a new folder/],
  ['merge --out into the working folder', { run: RUN }, ['merge', 'run', '--out', '.'], 2, /--out \.?.*: holds other files/],
  // run --resume takes the run as it was started.
  ['--resume with --seed', { run: RUN }, ['run', '--resume', 'run', '--seed', '5'], 2, /--resume continues the run as it was started: drop --seed/],
  ['--resume with --seed and --alpha', { run: RUN }, ['run', '--resume', 'run', '--seed', '5', '--alpha', '0.05'], 2, /drop --alpha, --seed/],
  // bisect
  ['bisect --repo missing', { 'x.yaml': ok }, ['bisect', '--repo', 'nope', '--good', 'a', '--bad', 'b', '--case', 'x.yaml'], 2, /--repo nope: no such folder/],
  ['bisect --repo a file', { 'x.yaml': ok, 'f.txt': 'x' }, ['bisect', '--repo', 'f.txt', '--good', 'a', '--bad', 'b', '--case', 'x.yaml'], 2, /--repo f\.txt: no such folder/],
  ['bisect --resume of a repository that is not QEMU', only('a bisect of a repository that is not QEMU'), ['bisect', '--resume', 'b'], 2, /b: bisect\.json: repo .*repo: not a QEMU repository at HEAD \(no configure\)/],
  // Temporary, results and output folders the host refuses: one line naming the path (exit 3).
  ['TMPDIR missing', { 'x.yaml': ok }, ['run', 'x.yaml'], 3, /TMPDIR .*nope: no such file or directory; set TMPDIR to a writable folder/, { env: { TMPDIR: '{dir}/nope' } }],
  ['TMPDIR a file', { 'x.yaml': ok, 'f.txt': 'x' }, ['run', 'x.yaml'], 3, /TMPDIR .*f\.txt: is not a directory.*set TMPDIR to a writable folder/, { env: { TMPDIR: '{dir}/f.txt' } }],
  ['TMPDIR read-only', { 'x.yaml': ok }, ['run', 'x.yaml'], 3, /TMPDIR .*ro: is on a read-only file system; set TMPDIR/, { env: { TMPDIR: '{dir}/ro' }, mount: { at: 'ro', options: 'ro,size=64k' } }],
  ['review with TMPDIR missing', { 'x.yaml': ok, 's.mbox': mbox }, ['review', 's.mbox', '--case', 'x.yaml'], 3, /TMPDIR .*nope: no such file/, { env: { TMPDIR: '{dir}/nope' } }],
  ['--results on a read-only file system', { 'x.yaml': ok }, ['run', 'x.yaml', '--results', 'ro/results'], 3, /--results .*ro\/results: is on a read-only file system; choose a writable path/, { mount: { at: 'ro', options: 'ro,size=64k' } }],
  ['review with --results on a read-only file system', { 'x.yaml': ok, 's.mbox': mbox }, ['review', 's.mbox', '--case', 'x.yaml', '--results', 'ro/results'], 3, /--results .*ro\/results: is on a read-only file system/, { mount: { at: 'ro', options: 'ro,size=64k' } }],
  ['--resume of a run on a read-only file system', { 'x.yaml': ok }, ['run', '--resume', 'ro'], 2, /ro: not a run directory \(no run\.json\)/, { mount: { at: 'ro', options: 'ro,size=64k' } }],
  ['--resume on a full disk', { run: RUN }, ['run', '--resume', 'full/run'], 3, /full\/run: no space left on the device; free some space \(or choose another disk\) and run again/, { mount: { at: 'full', options: 'size=1m,nr_inodes=4', copy: ['run'] } }],
  // Messages in the user's terms.
  ['--variants with a name that is not a name', { 'x.yaml': 'disks: 8\nvariants: [a]\n', 'v.yaml': '"a b": {}\n' }, ['run', 'x.yaml', '--variants', 'v.yaml'], 2, /--variants v\.yaml:1:\d+: a b: not a valid name: /],
  ['an empty case name', {}, ['run', ''], 2, /'' \(an empty file name\): name a file/],
  ['report --out an empty name', { run: RUN }, ['report', 'run', '--out', ''], 2, /--out '': name a folder for the report/],
  ['a field left empty says so in plain words', { 'x.yaml': 'disks: 8\ncpus:\n' }, ['run', 'x.yaml'], 2, /x\.yaml:2:6: cpus: expected a number, not an empty value$/],
  ['a list where mappings go', { 'x.yaml': 'disks: 8\nenv: [1]\n' }, ['run', 'x.yaml'], 2, /x\.yaml:2:7: env\.0: expected a mapping \(key: value lines\), not a number$/],
  ['lists nested 100,000 deep', { 'x.yaml': `disks: 8\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` }, ['run', 'x.yaml'], 2, /x\.yaml:2:\d+: YAML syntax error: nested too deeply/],
  ['two YAML documents in a case', { 'x.yaml': 'disks: 8\n---\ndisks: 9\n' }, ['run', 'x.yaml'], 2, /x\.yaml:2:1: YAML syntax error: more than one document \(a line starting ---\); the file holds one/],
  ['a key that is a list', { 'x.yaml': '? [disks]\n: 8\n' }, ['run', 'x.yaml'], 2, /x\.yaml:1:3: a key must be a plain word, not a list or a mapping/],
  ['compare a run.json that is not JSON says JSON', { run: RUN, 'run/run.json': '{"runId": ' }, ['compare', 'run'], 2, /run\/run\.json:\d+:\d+: JSON syntax error/],
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
    // lstat: links (dangling ones too) and FIFOs are inputs here, never followed or opened.
    const s = await lstat(join(dir, rel));
    out.push(`${rel} ${s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'link' : s.size} ${s.isDirectory() ? '' : s.mtimeMs}`);
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

async function runRow([, files, args, , , options = {}]: Row): Promise<Outcome> {
  const dir = await tempDir('emuflock-hostile-');
  await mkdir(join(dir, 'tmp'));
  await setUp(dir, files);
  if (options.mount) await mkdir(join(dir, options.mount.at), { recursive: true });
  const before = await snapshot(dir);
  const [cmd, cmdArgs] = cliCommand([...args]);
  // A read-only or full file system: a tmpfs in a mount namespace of the command's own, gone with it.
  const [file, fileArgs] = options.mount
    ? ['unshare', ['-m', '--', 'sh', '-c', 'mount -t tmpfs -o "$1" tmpfs "$2" && { [ -z "$3" ] || cp -a $3 "$2"/; } && shift 3 && exec "$@"', 'sh', options.mount.options, join(dir, options.mount.at), (options.mount.copy ?? []).map((f) => join(dir, f)).join(' '), cmd, ...cmdArgs]]
    : [cmd, cmdArgs];
  const r = await execa(file, fileArgs, {
    cwd: dir,
    reject: false,
    env: { TMPDIR: join(dir, 'tmp'), EMUFLOCK_RESULTS: '', ...resolveEnv(options.env ?? {}, dir) },
    // A FIFO or a device read without a bound would hang or grow until this kills it: a failure.
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

/** `{dir}` in an environment value is the row's directory. */
function resolveEnv(env: Record<string, string>, dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll('{dir}', dir)]));
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
  t.ok(rows.length >= 250, `at least 250 cases (${rows.length})`);
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
