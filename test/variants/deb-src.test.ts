import t from 'tap';
import { deriveDebSrc } from '../../harness/debian/deb-src.js';
import { bookwormSources } from './fixtures.js';

const bookworm = bookwormSources;

t.test('deb-src stanzas copy the machine own URIs, suites, components and keys', async (t) => {
  const r = deriveDebSrc([{ path: '/etc/apt/sources.list.d/debian.sources', text: bookworm }]);
  t.equal(r.hasDebSrc, false);
  t.equal(r.derived.length, 2);
  t.equal(
    r.derived[0],
    'Types: deb-src\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg',
  );
  t.match(r.derived[1], /URIs: http:\/\/mirror\.example\/debian-security/);
});

t.test('one-line sources.list entries become deb822 stanzas', async (t) => {
  const r = deriveDebSrc([
    { path: '/etc/apt/sources.list', text: '# comment\ndeb [signed-by=/k.gpg] http://m.example/debian bookworm main contrib\n' },
  ]);
  t.same(r.derived, ['Types: deb-src\nURIs: http://m.example/debian\nSuites: bookworm\nComponents: main contrib\nSigned-By: /k.gpg']);
});

t.test('an existing deb-src is enough; disabled stanzas do not count', async (t) => {
  t.equal(deriveDebSrc([{ path: '/x.sources', text: 'Types: deb deb-src\nURIs: http://m/\nSuites: s\nComponents: main\n' }]).hasDebSrc, true);
  t.equal(deriveDebSrc([{ path: '/x.list', text: 'deb-src http://m/ s main\n' }]).hasDebSrc, true);
  t.equal(deriveDebSrc([{ path: '/x.sources', text: 'Types: deb-src\nEnabled: no\nURIs: http://m/\n' }]).hasDebSrc, false);
});
