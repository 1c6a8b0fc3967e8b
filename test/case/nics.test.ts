import t from 'tap';
import { parseCase } from '../../harness/case/load.js';
import { caseErrorOf, trialsOf } from '../helpers.js';

t.test('nics defaults to 0 and may be swept; a swept point is labelled by it', async (t) => {
  t.equal(parseCase('disks: 1\n', 'cases/x.yaml').spec.nics, 0);
  const trials = trialsOf('disks: 1\nnics: [0, 256, 1100]\n').sort((a, b) => a.params.nics! - b.params.nics!);
  t.same(trials.map((tr) => tr.params.nics), [0, 256, 1100]);
  t.same(trials.map((tr) => tr.point), ['nics=0', 'nics=256', 'nics=1100']);
});

t.test('bad NIC counts are named at their position', async (t) => {
  t.equal(caseErrorOf('disks: 1\nnics: -1\n'), 'cases/x.yaml:2:7: nics: must be 0 or more');
  t.equal(caseErrorOf('disks: 1\nnics: [2, 1.5]\n'), 'cases/x.yaml:2:11: nics.1: must be a whole number');
  t.match(caseErrorOf('disks: 65000\nnics: [100, 600]\n'), /^cases\/x\.yaml:2:13: nics\.1: 600 NICs beside 65000 disks do not fit: s390-ccw-virtio holds 65536/);
  t.match(caseErrorOf('arch: x86_64\ndisks: 8000\nnics: 200\n'), /nics: 200 NICs beside 8000 disks do not fit: the pc machine holds/);
});
