import t from 'tap';
import { caseErrorOf, trialsOf } from '../helpers.js';
import { parseCase } from '../../harness/case/load.js';
import { envLabel } from '../../harness/case/env.js';
import { sweptParams } from '../../harness/case/point.js';
import { casePoints } from '../../harness/case/matrix.js';

t.test('env: one map is every trial\'s; numbers become strings', async (t) => {
  const trials = trialsOf('disks: 2\nenv: {MALLOC_ARENA_MAX: 1, G_SLICE: always-malloc}\n');
  t.equal(trials.length, 1);
  t.same(trials[0]!.params.env, { MALLOC_ARENA_MAX: '1', G_SLICE: 'always-malloc' });
  t.equal(trials[0]!.point, 'disks=2', 'one map is not a sweep');
});

t.test('env: a list of maps sweeps it, and the point label says each readably', async (t) => {
  const yaml = 'disks: 2\nenv: [{}, {MALLOC_ARENA_MAX: 1}, {MALLOC_ARENA_MAX: 4}]\n';
  t.same(casePoints(parseCase(yaml, 'cases/x.yaml')).map((p) => p.point), ['env=inherited', 'env=MALLOC_ARENA_MAX=1', 'env=MALLOC_ARENA_MAX=4']);
  const trials = trialsOf(yaml);
  t.same(trials.find((x) => x.point === 'env=inherited')!.params.env, {}, 'the empty map is recorded as such');
  t.ok(trials.every((x) => !x.trialId.includes(' ')));
});

t.test('a case without env records none', async (t) => {
  t.notOk('env' in trialsOf('disks: 2\n')[0]!.params);
});

t.test('labels: several variables, and values that would break a label are escaped', async (t) => {
  t.equal(envLabel({ A: '1', B: 'x y/z' }), 'A=1,B=x%20y%2Fz');
  t.equal(envLabel({ A: '50%' }), 'A=50%25', 'a % is escaped, so labels stay unambiguous');
});

t.test('the sweep read back from records compares maps by content', async (t) => {
  t.same(sweptParams([{ disks: 2, env: { A: '1' } }, { disks: 2, env: { A: '1' } }]), []);
  t.same(sweptParams([{ disks: 2, env: {} }, { disks: 2, env: { A: '1' } }]), ['env']);
});

t.test('bad names and values are refused with file, line and field', async (t) => {
  t.match(caseErrorOf('disks: 2\nenv: {malloc_arena_max: 1}\n'), /^cases\/x\.yaml:2:\d+: env\.malloc_arena_max: variable names are upper-case/);
  t.match(caseErrorOf('disks: 2\nenv: {LD_PRELOAD: /tmp/x.so}\n'), /^cases\/x\.yaml:2:\d+: env\.LD_PRELOAD: LD_PRELOAD changes which code QEMU loads/);
  t.match(caseErrorOf('disks: 2\nenv: {PATH: /tmp}\n'), /env\.PATH: PATH would change which QEMU binary runs/);
  t.match(caseErrorOf('disks: 2\nenv: {A: "x\\ny"}\n'), /^cases\/x\.yaml:2:\d+: env\.A: no NUL or line break/);
  t.match(caseErrorOf('disks: 2\nenv: {A: [1]}\n'), /env\.A: a value is a string or a number/);
  t.match(caseErrorOf(`disks: 2\nenv: {A: "${'x'.repeat(5000)}"}\n`), /env\.A: at most 4096 characters/);
  t.match(caseErrorOf('disks: 2\nenv: [{}, {A: 1}, {b: 2}]\n'), /^cases\/x\.yaml:2:\d+: env\.2\.b: variable names/);
});

t.test('ptys: default none, a count per guest', async (t) => {
  t.notOk('ptys' in trialsOf('disks: 2\n')[0]!.params);
  t.equal(trialsOf('disks: 2\nptys: 40\n')[0]!.params.ptys, 40);
  t.match(caseErrorOf('disks: 2\nptys: -1\n'), /^cases\/x\.yaml:2:\d+: ptys: /);
  t.equal(parseCase('disks: 2\nptys: 0\n', 'cases/x.yaml').spec.ptys, 0);
});
