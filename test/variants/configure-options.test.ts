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

t.test('QEMU 7.2 accepts every base flag but --disable-download and the switches of features it lacks or always builds', async (t) => {
  const { kept, dropped } = acceptedFlags(baseConfigureFlags, await options('7.2'));
  const lacks = ['rutabaga-gfx', 'pipewire', 'vmdk', 'vpc', 'af-xdp', 'passt', 'colo-proxy', 'hv-balloon', 'igvm', 'libkeyutils', 'libcbor', 'qatzip', 'qpl', 'uadk', 'libdw'];
  t.same(new Set(dropped), new Set(['--disable-download', ...lacks.map((f) => `--disable-${f}`)]));
  t.ok(kept.includes('--with-git-submodules=ignore') && kept.includes('--disable-docs') && kept.includes('--cc=ccache gcc'));
  // Features 7.2 has that the runs do not use are switched off, vhost-net and KVM are not.
  for (const f of ['--disable-vhost-user', '--disable-linux-io-uring', '--disable-qed', '--disable-vhdx', '--disable-live-block-migration']) t.ok(kept.includes(f), f);
  for (const f of ['vhost-net', 'vhost-kernel', 'kvm', 'tcg', 'malloc-trim', 'avx2', 'plugins', 'fdt']) t.notOk(baseConfigureFlags.some((b) => b.startsWith(`--disable-${f}`)), `${f} stays`);
});

t.test('QEMU 10.2 dropped --with-git-submodules and has --disable-download (unlisted by --help) and every feature switch', async (t) => {
  const q = await options('10.2.2');
  const { kept, dropped } = acceptedFlags(baseConfigureFlags, q);
  t.same(new Set(dropped), new Set(['--with-git-submodules=ignore', '--disable-live-block-migration', '--disable-pvrdma', '--disable-virtiofsd']));
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

t.test('a feature whose name fills its column, its description on the next line, is a switch', async (t) => {
  // "  vhost-user-blk-server" alone on its line in both releases' --help.
  for (const v of ['7.2', '10.2.2']) {
    const q = await options(v);
    for (const f of ['--disable-vhost-user-blk-server', '--disable-vduse-blk-export', '--disable-xen-pci-passthrough']) t.ok(q.has(f), `${v} ${f}`);
  }
  t.ok((await options('7.2')).has('--disable-live-block-migration'));
});

t.test('an option family of configure\'s loop (--with-devices-*) takes any member; its catch-all --* is no family', async (t) => {
  for (const v of ['7.2', '10.2.2']) {
    const q = await options(v);
    t.ok(q.has('--with-devices-s390x=emuflock'), `${v} --with-devices-s390x`);
    t.ok(q.has('--with-devices-x86_64=emuflock'), `${v} --with-devices-x86_64`);
    t.ok(q.has('--without-default-devices'), `${v} --without-default-devices`);
    t.notOk(q.has('--with-devices-'), 'the bare prefix is no member');
    t.notOk(q.has('--frobnicate'), 'not everything');
  }
  const bare = parseConfigure('', '  --with-devices-*) device_arch=${opt#--with-devices-};\n  --*) meson_option_parse "$opt" "$optarg"\n');
  t.ok(bare.has('--with-devices-aarch64=minimal'));
  t.notOk(bare.has('--enable-anything'));
});
