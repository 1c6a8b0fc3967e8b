import t from 'tap';
import { compareDebianVersions, pickSourceVersion, viewStanzas } from '../../harness/debian/debian-archive.js';
import { bookwormSources } from './fixtures.js';

const hostSources = bookwormSources;

t.test('the archive view keeps the machine\'s mirrors and keys and adds sources and other suites', async (t) => {
  const stanzas = viewStanzas([{ path: '/etc/apt/sources.list.d/debian.sources', text: hostSources }]);
  t.equal(stanzas.length, 2);
  t.equal(
    stanzas[0],
    [
      'Types: deb deb-src',
      'URIs: http://mirror.example/debian',
      'Suites: bookworm bookworm-updates bookworm-backports stable stable-backports testing unstable',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
    ].join('\n'),
  );
  t.match(stanzas[1], /Suites: bookworm-security\n/, 'the security archive keeps its own suites');
});

t.test('one-line sources.list entries are read too; disabled and deb-src-only entries are not', async (t) => {
  const stanzas = viewStanzas([
    { path: '/etc/apt/sources.list', text: 'deb [signed-by=/k.gpg] http://m.example/debian trixie main contrib\n# deb http://x/ y z\n' },
    { path: '/etc/apt/sources.list.d/off.sources', text: 'Types: deb\nURIs: http://off/\nSuites: sid\nComponents: main\nEnabled: no\n' },
    { path: '/etc/apt/sources.list.d/src.sources', text: 'Types: deb-src\nURIs: http://src/\nSuites: sid\nComponents: main\n' },
  ]);
  t.same(stanzas, ['Types: deb deb-src\nURIs: http://m.example/debian\nSuites: trixie trixie-backports stable stable-backports testing unstable\nComponents: main contrib\nSigned-By: /k.gpg']);
});

// `apt-cache madison qemu` through the view, 2026-11-28.
const versions = [
  { version: '1:7.2+dfsg-7+deb12u18', suite: 'bookworm' },
  { version: '1:10.0.2+ds-2+deb13u1~bpo12+1', suite: 'bookworm-backports' },
  { version: '1:10.0.13+ds-0+deb13u1', suite: 'stable' },
  { version: '1:10.2.2+ds-1', suite: 'unstable' },
  { version: '1:11.1.2+ds-3', suite: 'unstable' },
  { version: '1:7.2+dfsg-7+deb12u15', suite: 'bookworm-security' },
];
const codenames = new Map([
  ['sid', 'unstable'],
  ['trixie', 'stable'],
]);

t.test('debian:WHAT names a version, with or without its epoch, or a suite by alias or codename', async (t) => {
  t.equal(pickSourceVersion('1:10.2.2+ds-1', versions, codenames)?.version, '1:10.2.2+ds-1');
  t.equal(pickSourceVersion('10.2.2+ds-1', versions, codenames)?.version, '1:10.2.2+ds-1');
  t.equal(pickSourceVersion('trixie', versions, codenames)?.version, '1:10.0.13+ds-0+deb13u1');
  t.equal(pickSourceVersion('sid', versions, codenames)?.version, '1:11.1.2+ds-3', 'the newest of the suite');
  t.equal(pickSourceVersion('bookworm-backports', versions, codenames)?.suite, 'bookworm-backports');
  t.equal(pickSourceVersion('10.2.3', versions, codenames), undefined);
});

t.test('Debian version order: epoch, numbers as numbers, ~ before anything', async (t) => {
  t.ok(compareDebianVersions('1:10.2.2+ds-1', '1:7.2+dfsg-7') > 0);
  t.ok(compareDebianVersions('1.7.0-1~bpo12+1', '1.7.0-1') < 0);
  t.ok(compareDebianVersions('1.10', '1.9') > 0);
  t.ok(compareDebianVersions('2:1.0', '1:9.9') > 0);
  t.equal(compareDebianVersions('1.5.0', '1.5.0'), 0);
  t.ok(compareDebianVersions('1.0.1', '1.5.0') < 0);
});
