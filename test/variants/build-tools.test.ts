import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mesonRequirement, pickMeson } from '../../harness/variants/build-tools.js';
import { missingSubproject } from '../../harness/variants/subprojects.js';
import { projectRoot } from '../../harness/core/paths.js';

// The [meson] group of QEMU 10.2.2's pythondeps.toml, and the rust group after it.
const pythondeps = `[meson]
# The install key should match the version in python/wheels/
meson = { accepted = ">=1.5.0", installed = "1.9.0", canary = "meson" }

[meson-rust]
meson = { accepted = ">=1.9.0", installed = "1.9.0", canary = "meson" }
`;

t.test("the meson a source needs comes from its pythondeps.toml; 7.2 has none", async (t) => {
  t.equal(mesonRequirement(pythondeps), '1.5.0', 'the plain group, not the rust one');
  t.equal(mesonRequirement(undefined), undefined);
});

t.test('the meson to unpack: the release\'s backport when new enough, else the oldest that is', async (t) => {
  const madison = [
    { version: '1.0.1-5', suite: 'bookworm' },
    { version: '1.12.1-2', suite: 'unstable' },
    { version: '1.7.0-1', suite: 'stable' },
    { version: '1.7.0-1~bpo12+1', suite: 'bookworm-backports' },
  ];
  t.equal(pickMeson(madison, '1.5.0')?.version, '1.7.0-1~bpo12+1');
  t.equal(pickMeson(madison, '1.9.0')?.version, '1.12.1-2');
  t.equal(pickMeson(madison, '2.0'), undefined);
});

t.test("a configure that stopped for a subproject it may not download is told apart", async (t) => {
  // QEMU 10.2.2's configure --disable-download on a tree without subprojects/berkeley-*.
  const real = await readFile(join(projectRoot(), 'test', 'fixtures', 'meson-output', 'softfloat-missing.txt'), 'utf8');
  t.equal(missingSubproject(real), 'asked for at tests/fp/meson.build:38');
  t.equal(missingSubproject('\nERROR: missing subprojects\n'), 'keycodemapdb');
  t.equal(missingSubproject('cc: error: unrecognized option\nninja: build stopped'), undefined);
});
