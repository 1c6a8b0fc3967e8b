import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { join } from 'node:path';
import { archSpec } from '../../harness/arch/index.js';
import { buildKey, type BuildRecipe } from '../../harness/variants/build-key.js';
import { parseConfigure } from '../../harness/variants/configure-options.js';
import { devicesSetup, kconfigSymbols } from '../../harness/variants/devices.js';
import { projectRoot } from '../../harness/core/paths.js';

const fixture = (name: string) => readFile(join(projectRoot(), 'test', 'fixtures', 'configure-help', name), 'utf8');
const options = async (v: string) => parseConfigure(await fixture(`qemu-${v}.txt`), await fixture(`qemu-${v}.configure-lines`));

// Each architecture's symbols, all defined (QEMU 10.2's Kconfig defines every one).
const everyOne = (arch: 's390x' | 'x86_64') => new Set(archSpec(arch).buildDevices);

t.test('s390x: configure is told to build only the board and the devices the trials use', async (t) => {
  const s = devicesSetup('s390x', archSpec('s390x').buildDevices, await options('7.2'), everyOne('s390x'));
  t.same(s.flags, ['--without-default-devices', '--with-devices-s390x=emuflock']);
  t.same(Object.keys(s.devices ?? {}), ['s390x-softmmu']);
  const lines = s.devices!['s390x-softmmu']!.split('\n').filter((l) => l && !l.startsWith('#'));
  t.same(lines, ['CONFIG_S390_CCW_VIRTIO=y', 'CONFIG_VIRTIO_BLK=y', 'CONFIG_VIRTIO_NET=y', 'CONFIG_VIRTIO_SERIAL=y']);
  t.same(s.undefinedSymbols, []);
});

t.test('a symbol the release\'s Kconfig does not define is left out (7.2 builds pci-bridge without one)', async (t) => {
  const defined = new Set([...everyOne('x86_64')].filter((k) => k !== 'PCI_BRIDGE'));
  const s = devicesSetup('x86_64', archSpec('x86_64').buildDevices, await options('7.2'), defined);
  t.same(s.undefinedSymbols, ['PCI_BRIDGE']);
  t.notMatch(s.devices!['x86_64-softmmu']!, /PCI_BRIDGE/);
  t.match(s.devices!['x86_64-softmmu']!, /^CONFIG_I440FX=y$/m);
  t.same(s.flags, ['--without-default-devices', '--with-devices-x86_64=emuflock']);
});

t.test('a configure without either switch, or a source without Kconfig, builds its default devices', async (t) => {
  const onlyWithout = parseConfigure('', '  --without-default-devices) meson_option_add -Ddefault_devices=false\n');
  const onlyWith = parseConfigure('', '  --with-devices-*) device_arch=${opt#--with-devices-};\n');
  for (const o of [onlyWithout, onlyWith]) {
    const s = devicesSetup('s390x', archSpec('s390x').buildDevices, o, everyOne('s390x'));
    t.same(s.flags, []);
    t.equal(s.devices, undefined);
  }
  t.same(devicesSetup('s390x', archSpec('s390x').buildDevices, await options('10.2.2'), new Set()).flags, []);
});

t.test('the devices file is part of the build key', async (t) => {
  const base: BuildRecipe = {
    source: { id: 'src', family: 'src', label: 'src', repo: '/nonexistent', commit: '0'.repeat(40) },
    series: [],
    configure: ['--without-default-devices', '--with-devices-s390x=emuflock'],
    targets: ['s390x-softmmu'],
  };
  const a = buildKey({ ...base, devices: { 's390x-softmmu': 'CONFIG_VIRTIO_BLK=y\n' } });
  const b = buildKey({ ...base, devices: { 's390x-softmmu': 'CONFIG_VIRTIO_BLK=y\nCONFIG_VIRTIO_NET=y\n' } });
  t.not(a, b);
  t.not(a, buildKey(base));
});

t.test('the Kconfig symbols of a source are read from its commit, quilt\'s .pc copies aside', async (t) => {
  const repo = t.testdir({
    Kconfig: 'source hw/Kconfig\n',
    hw: { Kconfig: 'config VIRTIO_BLK\n    bool\n    default y\n\nconfig PCI_BRIDGE \n    bool\n# config COMMENTED\n' },
    '.pc': { 'some.patch': { hw: { Kconfig: 'config REMOVED_BY_A_PATCH\n' } } },
    'Kconfig.host': 'config KVM\n    bool\n',
    'README.rst': 'config NOT_IN_A_KCONFIG_FILE\n',
  });
  const git = (...args: string[]) => execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args]);
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'tree');
  const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
  await writeFile(join(repo, 'hw', 'Kconfig'), 'config UNCOMMITTED\n');
  const symbols = await kconfigSymbols({ id: 's', family: 's', label: 's', repo, commit });
  t.same([...symbols].sort(), ['KVM', 'PCI_BRIDGE', 'VIRTIO_BLK']);
});
