import t from 'tap';
import { caseErrorOf } from '../helpers.js';
import { parseCase } from '../../harness/case/load.js';

const errorOf = caseErrorOf;

t.test('a minimal case gets defaults a new user expects', async (t) => {
  const c = parseCase('disks: 8\n', 'cases/eight.yaml');
  t.equal(c.name, 'eight');
  t.match(c.spec, { arch: 's390x', accel: 'tcg', disks: 8, drives: 'blockdev', variants: ['system'], repetitions: 1 });
  t.equal(c.spec.disk.backend, 'file');
  t.equal(c.sha256.length, 64);
});

t.test('errors name file, line, column and field', async (t) => {
  t.equal(errorOf('disks: 8\ndiks: 9\n'), 'cases/x.yaml:2:1: diks: unknown key "diks"');
  t.equal(errorOf('arch: s390x\ndisks: -3\n'), 'cases/x.yaml:2:8: disks: must be at least 1');
  t.equal(errorOf('arch: s390x\n'), 'cases/x.yaml:1:1: disks: is required');
  t.match(errorOf('disks: 8\ndisk:\n  backend: nbd\n'), /^cases\/x\.yaml:3:12: disk\.backend: .*"file"\|"null-co"/);
  t.match(errorOf('disks: 1\nmachine: "s390-ccw-virtio,foo=bar"\n'), /^cases\/x\.yaml:2:10: machine: letters, digits/);
});

t.test('each bad value of a sweep is reported at its own position', async (t) => {
  const lines = errorOf('disks: [8, 0, 70000]\n').split('\n');
  t.equal(lines.length, 2);
  t.match(lines[0], /^cases\/x\.yaml:1:12: disks\.1: must be at least 1$/);
  t.match(lines[1], /^cases\/x\.yaml:1:15: disks\.2: 70000 disks do not fit: s390-ccw-virtio holds 65536/);
});

t.test('an irqchip mode the target lacks is refused at its position, before QEMU would exit on it', async (t) => {
  t.equal(
    errorOf('disks: 4\naccel: kvm\nirqchip: [on, split]\n'),
    'cases/x.yaml:3:15: irqchip.1: kernel-irqchip=split is not available on s390x: s390x has no split irqchip: QEMU exits with "Split IRQ chip mode not supported."',
  );
  t.equal(parseCase('disks: 4\naccel: kvm\nirqchip: off\n', 'cases/x.yaml').spec.irqchip, 'off', 's390x takes off');
  t.equal(parseCase('arch: x86_64\ndisks: 4\naccel: kvm\nirqchip: split\n', 'cases/x.yaml').spec.irqchip, 'split', 'x86_64 takes split');
  t.match(errorOf('disks: 4\nirqchip: on\n'), /irqchip: kernel-irqchip is a KVM property/);
});

t.test('until: qemu-init is refused where guests must boot, at the field that needs them', async (t) => {
  t.equal(errorOf('disks: 4\nuntil: qemu-init\nguests: [1, 4]\n'), 'cases/x.yaml:3:9: guests: needs booted guests; until: qemu-init ends each trial before the guest runs');
  t.match(errorOf('disks: 4\nuntil: qemu-init\nholdS: 5\n'), /^cases\/x\.yaml:3:8: holdS: needs booted guests/);
  t.match(errorOf('disks: 4\nuntil: boot\n'), /^cases\/x\.yaml:2:8: until: .*"ready".*"qemu-init"/);
  t.equal(parseCase('disks: 4\n', 'cases/x.yaml').spec.until, 'ready', 'a trial ends at ready unless the case says otherwise');
});

t.test('YAML syntax errors carry their line', async (t) => {
  t.match(errorOf('disks: [8\nfoo: 1\n'), /^cases\/x\.yaml:2:1: YAML syntax error: /);
  t.match(errorOf('disks: 8\ndisks: 9\n'), /^cases\/x\.yaml:2:1: YAML syntax error: .*unique/i);
});

t.test('a file that is not a mapping is refused', async (t) => {
  t.match(errorOf('- disks\n'), /^cases\/x\.yaml:1:1: a case file is a YAML mapping/);
  t.match(errorOf(''), /^cases\/x\.yaml:1:1: a case file is a YAML mapping/);
});
