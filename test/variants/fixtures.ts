import { join } from 'node:path';
import { repoRoot } from '../helpers.js';

/** Patch series made to fail: one does not apply to QEMU 7.2, one breaks its compilation. */
export const fixturesPatches = join(repoRoot, 'test', 'fixtures', 'patches');

/** Debian 12's default apt sources: deb822 stanzas with Types: deb only, as a fresh machine has them in /etc/apt/sources.list.d/debian.sources. */
export const bookwormSources = `Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;
