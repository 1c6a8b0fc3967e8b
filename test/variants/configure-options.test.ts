import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acceptedFlags, parseConfigure } from '../../harness/variants/configure-options.js';
import { baseConfigureFlags } from '../../harness/variants/qemu-build.js';
import { projectRoot } from '../../harness/core/paths.js';

// `configure --help` as QEMU 7.2 (Debian 1:7.2+dfsg-7+deb12u18) and 10.2.2 (1:10.2.2+ds-1) print
// it, and the lines of their configure scripts that hold its option patterns.
const fixture = (name: string) => readFile(join(projectRoot(), 'test', 'fixtures', 'configure-help', name), 'utf8');
const options = async (v: string) => parseConfigure(await fixture(`qemu-${v}.txt`), await fixture(`qemu-${v}.configure-lines`));

t.test('QEMU 7.2 accepts every base flag but --disable-download', async (t) => {
  const { kept, dropped } = acceptedFlags(baseConfigureFlags, await options('7.2'));
  t.same(dropped, ['--disable-download']);
  t.ok(kept.includes('--with-git-submodules=ignore') && kept.includes('--disable-docs') && kept.includes('--cc=ccache gcc'));
});

t.test('QEMU 10.2 dropped --with-git-submodules and has --disable-download (unlisted by --help) and every feature switch', async (t) => {
  const q = await options('10.2.2');
  const { kept, dropped } = acceptedFlags(baseConfigureFlags, q);
  t.same(dropped, ['--with-git-submodules=ignore']);
  for (const f of ['--disable-download', '--disable-docs', '--disable-tools', '--disable-user', '--disable-guest-agent', '--disable-werror', '--extra-cflags=-O0']) t.ok(q.has(f), f);
  t.ok(kept.includes('--disable-download'));
  t.ok(q.has('--python=/usr/bin/python3'));
});

t.test('options and features it does not list are not accepted', async (t) => {
  const q = await options('10.2.2');
  for (const f of ['--disable-no-such-thing', '--with-git-submodules', '--enable-FEATURE', '--disable-FEATURE']) t.notOk(q.has(f), f);
  // A wrapped description line is not a feature.
  t.notOk(q.has('--enable-Linux'));
});
