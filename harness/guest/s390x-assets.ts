import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, stat, copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dir as tmpDir } from 'tmp-promise';
import { run } from '../core/exec.js';
import { environmentError } from '../core/errors.js';
import { assetsCacheDir } from '../core/paths.js';
import { ensureForeignArch, aptUpdate, downloadPackages, memoByAptLists, showPackages, type PackageRecord } from '../debian/apt.js';
import { initScript } from './init-script.js';
import { buildInitramfs } from './initramfs.js';
import { loadOrder, moduleIndex } from './module-deps.js';
import type { GuestAssets } from './guest-assets.js';

/** A bootable s390x guest: Debian's kernel and an initramfs speaking the guest protocol. */
export interface S390xAssets extends GuestAssets {
  arch: 's390x';
  initrd: string;
}

const kernelMeta = 'linux-image-s390x:s390x';
const busyboxPkg = 'busybox-static:s390x';
/** The NIC driver; in Debian's 6.1 kernel it needs net_failover, which needs failover. */
const netDriver = 'drivers/net/virtio_net.ko';

/**
 * Returns cached assets for the archive's current kernel and busybox, building them when
 * missing. The cache key is the two package versions plus the /init text, so a kernel update
 * or a protocol change makes new assets and never reuses stale ones. A hit costs one
 * `apt-cache show`.
 */
export async function ensureS390xAssets(log: (line: string) => void = () => {}): Promise<S390xAssets> {
  await ensureForeignArch('s390x', log);
  const wanted = await resolveVersions();
  const key = assetKey(wanted);
  const dir = join(assetsCacheDir(), key);
  const assets: S390xAssets = {
    arch: 's390x',
    kernel: join(dir, 'vmlinuz'),
    initrd: join(dir, 'initrd.gz'),
    kernelPackage: wanted.kernel.package,
    kernelVersion: wanted.kernel.version,
    busyboxVersion: wanted.busybox.version,
    key,
  };
  if (await exists(join(dir, 'manifest.json'))) return assets;

  log(`building s390x guest assets: ${wanted.kernel.package} ${wanted.kernel.version}, busybox-static ${wanted.busybox.version}`);
  await mkdir(assetsCacheDir(), { recursive: true });
  const work = await tmpDir({ unsafeCleanup: true, tmpdir: assetsCacheDir(), prefix: '.build-' });
  try {
    await downloadPackages(
      [`${wanted.kernel.package}:s390x=${wanted.kernel.version}`, `busybox-static:s390x=${wanted.busybox.version}`],
      work.path,
    );
    const debs = (await readdir(work.path)).filter((f) => f.endsWith('.deb'));
    const tree = join(work.path, 'tree');
    for (const deb of debs) await run('dpkg-deb', ['-x', join(work.path, deb), tree]);
    const out = join(work.path, 'out');
    await mkdir(out);
    const kernelVersionDir = wanted.kernel.package.replace(/^linux-image-/, '');
    await copyFile(join(tree, 'boot', `vmlinuz-${kernelVersionDir}`), join(out, 'vmlinuz'));
    const moduleDir = join(tree, 'lib', 'modules', kernelVersionDir, 'kernel');
    const netModules = await loadOrder(moduleDir, [netDriver], await moduleIndex(moduleDir));
    await buildInitramfs({
      busybox: join(tree, 'bin', 'busybox'),
      virtioBlk: join(moduleDir, 'drivers', 'block', 'virtio_blk.ko'),
      netModules: netModules.map((m) => join(moduleDir, m)),
      stageDir: join(work.path, 'initramfs'),
      output: join(out, 'initrd.gz'),
    });
    await writeFile(join(out, 'manifest.json'), JSON.stringify({ ...assets, kernel: 'vmlinuz', initrd: 'initrd.gz' }, null, 2) + '\n');
    // Rename is atomic: a concurrent or interrupted build never leaves a half-made asset dir.
    await rename(out, dir).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    });
  } finally {
    await work.cleanup();
  }
  return assets;
}

type Resolved = { kernel: PackageRecord; busybox: PackageRecord };

/** `apt-cache` costs a second on machines without apt's binary cache: remember its answer. */
function resolveVersions(): Promise<Resolved> {
  return memoByAptLists('s390x-guest-packages', queryVersions);
}

async function queryVersions(): Promise<Resolved> {
  let records = await showPackages([kernelMeta, busyboxPkg]).catch(() => undefined);
  if (!records || !records.has('linux-image-s390x:s390x')) {
    // The architecture was enabled but its package lists were never fetched.
    await aptUpdate();
    records = await showPackages([kernelMeta, busyboxPkg]);
  }
  const meta = records.get('linux-image-s390x:s390x');
  const busybox = records.get('busybox-static:s390x');
  // The metapackage depends on the exact image: "linux-image-6.1.0-35-s390x (= 6.1.137-1)".
  const dep = meta?.depends.match(/(linux-image-[0-9][^\s,(]*-s390x)\s*\(=\s*([^)]+)\)/);
  if (!meta || !busybox || !dep) {
    throw environmentError(`cannot find Debian's s390x kernel and busybox-static in apt; check that apt works (apt-cache show ${kernelMeta})`);
  }
  return { kernel: { package: dep[1]!, version: dep[2]!.trim(), depends: '' }, busybox };
}

function assetKey(v: { kernel: PackageRecord; busybox: PackageRecord }): string {
  // The /init text and the modules packed beside it: either changing makes new assets.
  const init = createHash('sha256').update(initScript).update(netDriver).digest('hex').slice(0, 10);
  const safe = (s: string) => s.replace(/[^A-Za-z0-9.+-]/g, '_');
  return `s390x-${safe(v.kernel.version)}-busybox-${safe(v.busybox.version)}-init-${init}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
