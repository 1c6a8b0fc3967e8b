import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { buildError, environmentError } from '../core/errors.js';
import { run, tail } from '../core/exec.js';
import { cacheRoot } from '../core/paths.js';
import { formatDuration } from '../core/duration.js';
import { applySeries } from './apply.js';
import { fileSha256, qemuVersion } from './binary-identity.js';
import { buildKey, type BuildRecipe } from './build-key.js';
import { devicesConfigName } from './devices.js';
import { withLock } from '../core/dir-lock.js';
import { gitIdentity, sourceQemuVersion, type SourceTree } from './source-repo.js';
import { fillSubprojects, missingSubproject, requiredSubprojectsMissing } from './subprojects.js';

/**
 * A minimal QEMU: only the targets asked for, no docs, tools, UIs or firmware blobs (runs use
 * -L /usr/share/qemu), and of the optional features only those the runs use. Profiles need
 * symbols and call chains: debug info stays in, and frame pointers make `perf record -g` chains
 * cheap and complete (DWARF unwinding would copy the stack into every sample: hundreds of MB
 * for a 4-minute boot). The work tree is a git worktree of emuflock's own pristine commit,
 * which has no submodules to update.
 *
 * Features are switched off by name rather than all at once (--without-default-features): that
 * would take with them what the runs use and configure finds by itself (KVM, vhost-net,
 * malloc_trim after RCU grace periods, the TCG plugin hooks, the AVX2 zero-page check of
 * migration), and switching those back on with --enable fails configure on a host that lacks
 * one (AVX2 on an s390x host). A switch a source's configure lacks is left out
 * (configure-options.ts); a feature a later release adds stays as that release defaults it.
 * Trace events keep the `log` backend (-trace under KVM counts irq routes), and fdt stays
 * automatic: x86_64 up to 7.2 needs it. The devices are cut per target (devices.ts).
 */
const plainFlags = [
  '--cc=ccache gcc',
  '--extra-cflags=-fno-omit-frame-pointer',
  // Up to 7.2: submodules are not updated from the network. 8.0 and later: neither are
  // subprojects (configure then names a missing one instead of trying to download it).
  '--with-git-submodules=ignore',
  '--disable-download',
  '--disable-docs',
  '--disable-tools',
  '--disable-user',
  '--disable-werror',
  '--disable-capstone',
  '--disable-guest-agent',
  '--disable-install-blobs',
];

/** Optional features the runs do not use, switched off (--disable-NAME), by reason. */
export const disabledFeatures: readonly string[] = [
  // -display none: no UI, no D-Bus display, no screendump, no sound.
  'gtk', 'sdl', 'sdl-image', 'vnc', 'opengl', 'curses', 'iconv', 'xkbcommon', 'png', 'vte', 'spice', 'spice-protocol',
  'virglrenderer', 'rutabaga-gfx', 'dbus-display', 'gio', 'brlapi', 'gettext',
  'alsa', 'oss', 'pa', 'jack', 'sndio', 'pipewire',
  // Disks are raw over a local file, or null-co (run/qemu/disks.ts): no other image format, remote
  // storage, block export or replication. qcow2 and the formats without a switch stay.
  'bochs', 'cloop', 'dmg', 'bzip2', 'lzfse', 'parallels', 'qcow1', 'qed', 'vdi', 'vvfat', 'vhdx', 'vmdk', 'vpc', 'replication', 'live-block-migration',
  'blkio', 'curl', 'glusterfs', 'libiscsi', 'libnfs', 'libssh', 'rbd', 'fuse', 'fuse-lseek', 'mpath',
  'vhost-user-blk-server', 'vduse-blk-export', 'libvduse',
  // Disks use aio=threads, QEMU's default. io_uring would also become every AioContext's fd
  // monitor (fdmon-io_uring): whether liburing-dev is installed would change the event loop
  // that the drain cases measure (patches/event-loop-2015).
  'linux-aio', 'linux-io-uring',
  // NICs are taps with vhost-net, which stays (with vhost-kernel): no user-mode network, other
  // backend, vhost-user or vDPA (and with vhost-user goes the vhost-user-* device family).
  'slirp', 'l2tpv3', 'netmap', 'vde', 'af-xdp', 'passt', 'vhost-user', 'vhost-vdpa', 'vhost-crypto', 'bpf', 'colo-proxy',
  // No USB, host device, persistent memory, NUMA binding, other hypervisor or confidential guest.
  'libusb', 'usb-redir', 'smartcard', 'u2f', 'canokey', 'libudev', 'xen', 'xen-pci-passthrough', 'multiprocess',
  'libpmem', 'libdaxctl', 'rdma', 'pvrdma', 'numa', 'hv-balloon', 'igvm',
  // Migration is plain TCP, uncompressed; no TLS, secret, TPM or sandbox: QEMU's built-in
  // crypto covers what remains.
  'gnutls', 'nettle', 'gcrypt', 'keyring', 'libkeyutils', 'auth-pam', 'selinux', 'seccomp', 'cap-ng', 'tpm', 'libcbor',
  'zstd', 'lzo', 'snappy', 'qatzip', 'qpl', 'uadk',
  // No 9p or virtiofs share; no guest-code symbols for -perfmap (profiles sample QEMU itself).
  'attr', 'virtfs', 'virtiofsd', 'libdw',
];

export const baseConfigureFlags = [...plainFlags, ...disabledFeatures.map((f) => `--disable-${f}`)];

export interface BuiltQemu {
  key: string;
  binary: string;
  binarySha256: string;
  qemuVersion: string;
  /** false when the build cache already had this key. */
  built: boolean;
  seconds: number;
}

interface BuildRecord {
  key: string;
  binary: string;
  binarySha256: string;
  qemuVersion: string;
  source: string;
  series: string[];
  configure: string[];
  targets: string[];
  devices?: Record<string, string>;
  builtAt: string;
  seconds: number;
}

export function buildsDir(): string {
  return join(cacheRoot(), 'builds');
}

/**
 * Returns the binary for the recipe, building it only when no finished build has its key.
 * Builds of one source and configuration share one work tree and build directory: the tree is
 * reset to the pristine commit, the series applied, and ninja rebuilds only what the patches
 * touched (plus ccache for everything else), so a second variant costs a fraction of the first.
 * A binary is published under its key only after a successful build.
 */
export async function ensureBuilt(recipe: BuildRecipe, binaryName: string, label: string, log: (line: string) => void): Promise<BuiltQemu> {
  const key = buildKey(recipe);
  const done = await readRecord(key);
  if (done) return { ...done, built: false, seconds: 0 };

  const treeDir = join(cacheRoot(), 'trees', `${recipe.source.family}-${configurationKey(recipe)}`.replace(/[^A-Za-z0-9.+_-]/g, '_'));
  await mkdir(treeDir, { recursive: true });
  return withLock(
    treeDir,
    (owner) => log(`waiting for another emuflock build in ${treeDir} (pid ${owner})`),
    async () => {
      const again = await readRecord(key);
      if (again) return { ...again, built: false, seconds: 0 };
      const started = performance.now();
      const src = join(treeDir, 'src');
      const build = join(treeDir, 'build');
      await checkoutPristine(recipe, src, log);
      await recipe.source.completeTree?.(src);
      await applySeries(src, recipe.series);
      await writeDevicesFiles(src, recipe.devices);
      await mkdir(buildsDir(), { recursive: true });
      for (const d of await fillSubprojects(src, await sourceQemuVersion(recipe.source))) log(`${label}: subproject ${d.name} from ${d.from}`);
      await requireSubprojects(src, recipe.source);
      const logFile = join(buildsDir(), `${key}.log`);
      const env = { ...ccacheEnv(treeDir), ...recipe.env };
      const steps = new BuildLog(logFile);
      try {
        if (!(await exists(join(build, 'build.ninja')))) {
          await rm(build, { recursive: true, force: true });
          await mkdir(build);
          log(`${label}: configuring (${recipe.targets.join(',')})`);
          await steps.run('configure', join(src, 'configure'), [`--target-list=${recipe.targets.join(',')}`, ...recipe.configure], build, env).catch(async (e) => {
            // A half-configured build directory must not be mistaken for a configured one.
            await rm(build, { recursive: true, force: true });
            throw e;
          });
        }
        await steps.run('ninja', 'ninja', ['-C', build, binaryName], build, env, progressReporter(label, started, log));
      } finally {
        await steps.close();
      }
      const version = await qemuVersion(join(build, binaryName));
      const seconds = (performance.now() - started) / 1000;
      const record = await publish(key, join(build, binaryName), binaryName, logFile, {
        key,
        binary: '',
        binarySha256: await fileSha256(join(build, binaryName)),
        qemuVersion: version,
        source: recipe.source.label,
        series: recipe.series.map((s) => s.name),
        configure: recipe.configure,
        targets: recipe.targets,
        devices: recipe.devices,
        builtAt: new Date().toISOString(),
        seconds: Math.round(seconds * 10) / 10,
      });
      log(`${label}: built ${binaryName} (${version}) in ${formatDuration(seconds * 1000)}, key ${key}`);
      return { ...record, built: true, seconds };
    },
    log,
  );
}

async function checkoutPristine(recipe: BuildRecipe, src: string, log: (line: string) => void): Promise<void> {
  // A worktree's .git is a file; without it the tree is missing or was never finished.
  if (!(await exists(join(src, '.git')))) {
    await rm(src, { recursive: true, force: true });
    await run('git', ['-C', recipe.source.repo, 'worktree', 'prune']);
    await run('git', ['-C', recipe.source.repo, ...gitIdentity, 'worktree', 'add', '-q', '--detach', src, recipe.source.commit]);
    return;
  }
  // The tree is this process's while it holds the tree's lock: a git lock in it (the index's, or
  // HEAD's, which reset moves) was left by an emuflock killed mid-checkout or mid-apply (Ctrl-C
  // in a bisect step, a CI timeout), and git would refuse every later build of the family
  // ("index.lock: File exists").
  const gitLocks = await run('git', ['-C', src, 'rev-parse', '--path-format=absolute', '--git-path', 'index.lock', '--git-path', 'HEAD.lock']);
  for (const lock of gitLocks.split('\n').filter(Boolean)) {
    if (!(await exists(lock))) continue;
    log(`removing ${lock}, left by a checkout that was interrupted`);
    await rm(lock, { force: true });
  }
  // Only files that differ are rewritten: ninja then rebuilds exactly what the last series touched.
  await run('git', ['-C', src, 'reset', '-q', '--hard', recipe.source.commit]);
  // The devices file stays, with its mtime: rewritten, it would be newer than build.ninja, which
  // depends on it, and every build would reconfigure.
  await run('git', ['-C', src, 'clean', '-fdq', '-e', `/configs/devices/*/${devicesConfigName}.mak`]);
}

/** Writes each target's devices file unless it already holds that text (see checkoutPristine). */
async function writeDevicesFiles(src: string, devices: Record<string, string> | undefined): Promise<void> {
  for (const [target, text] of Object.entries(devices ?? {})) {
    const file = join(src, 'configs', 'devices', target, `${devicesConfigName}.mak`);
    if ((await readFile(file, 'utf8').catch(() => undefined)) === text) continue;
    await writeFile(`${file}.${process.pid}`, text);
    await rename(`${file}.${process.pid}`, file);
  }
}

/** The configure flags, targets and devices files: one build directory each, per source family. */
function configurationKey(recipe: BuildRecipe): string {
  const parts: unknown[] = [recipe.configure, recipe.targets];
  if (recipe.devices) parts.push(recipe.devices);
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8);
}

function ccacheEnv(treeDir: string): Record<string, string> {
  return {
    CCACHE_DIR: join(cacheRoot(), 'ccache'),
    // Relative paths under the tree, and no cwd in the hash: builds in other trees (bisect
    // worktrees, another configuration) hit the same cache entries.
    CCACHE_BASEDIR: treeDir,
    CCACHE_NOHASHDIR: 'true',
    CCACHE_MAXSIZE: '5G',
  };
}

/** Every 10%, or every 15 s: enough to see a build move, few enough lines for a CI log. */
function progressReporter(label: string, started: number, log: (line: string) => void): (line: string) => void {
  let lastShown = 0;
  let lastTenth = -1;
  return (line) => {
    const m = line.match(/^\[(\d+)\/(\d+)\]/);
    if (!m) return;
    const [n, total] = [Number(m[1]), Number(m[2])];
    const tenth = Math.floor((10 * n) / total);
    const now = performance.now();
    if (tenth > lastTenth || now - lastShown > 15_000) {
      log(`${label}: [${n}/${total}] ${Math.floor((100 * n) / total)}% (${formatDuration(now - started)})`);
      lastShown = now;
      lastTenth = tenth;
    }
  };
}

/** Writes every output line to the build log; a failure names the log and shows its tail. */
class BuildLog {
  private out;
  private text = '';

  constructor(readonly file: string) {
    this.out = createWriteStream(file);
  }

  async run(step: string, file: string, args: string[], cwd: string, env: Record<string, string>, onLine?: (line: string) => void): Promise<void> {
    this.out.write(`$ ${[file, ...args].join(' ')}\n`);
    const child = execa(file, args, { cwd, env, all: true, buffer: false, reject: false });
    const lines = createInterface({ input: child.all! });
    lines.on('line', (line) => {
      this.out.write(line + '\n');
      this.text = (this.text + line + '\n').slice(-20_000);
      onLine?.(line);
    });
    const result = await child;
    if ((result as { code?: string }).code === 'ENOENT') {
      throw environmentError(`${file} is not installed; QEMU's build needs: sudo apt-get install build-essential ninja-build meson pkg-config libglib2.0-dev libpixman-1-dev (or run \`make setup\`)`);
    }
    if (result.exitCode !== 0) {
      const subproject = missingSubproject(this.text);
      if (step === 'configure' && subproject) {
        throw environmentError(`configure needs QEMU's subproject ${subproject}, which this source lacks and emuflock does not download; ${subprojectRemedy}; full log: ${this.file}`);
      }
      throw buildError(`${step} failed (exit ${String(result.exitCode ?? result.signal)}); full log: ${this.file}\n${tail(this.text, 15)}`);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}

async function readRecord(key: string): Promise<BuildRecord | undefined> {
  const record = await readFile(join(buildsDir(), key, 'build.json'), 'utf8').then(
    (t) => JSON.parse(t) as BuildRecord,
    () => undefined,
  );
  // A record without its digest is incomplete: rebuild rather than trust it.
  return record?.binarySha256 && (await exists(record.binary)) ? record : undefined;
}

async function publish(key: string, built: string, binaryName: string, logFile: string, record: BuildRecord): Promise<BuildRecord> {
  const final = join(buildsDir(), key);
  const staging = join(buildsDir(), `.${key}.${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  await copyFile(built, join(staging, binaryName));
  await copyFile(logFile, join(staging, 'build.log'));
  const published = { ...record, binary: join(final, binaryName) };
  await writeFile(join(staging, 'build.json'), JSON.stringify(published, null, 2) + '\n');
  await rm(final, { recursive: true, force: true });
  await rename(staging, final);
  await rm(logFile, { force: true });
  return published;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const subprojectRemedy =
  'no cached source has them either: build a Debian source of a nearby release once (emuflock build upstream --qemu-src debian:VERSION), name a folder holding them (EMUFLOCK_SUBPROJECTS=DIR, e.g. another checkout\'s subprojects/), use a release tarball, or fill your checkout first (`meson subprojects download` from 8.1 on, `git submodule update --init` up to 8.0)';

/** Configure's own first check, made before configuring so the answer names every missing one. */
async function requireSubprojects(tree: string, source: SourceTree): Promise<void> {
  const missing = await requiredSubprojectsMissing(tree);
  if (missing.length) {
    throw environmentError(`${source.label} lacks QEMU's subprojects ${missing.join(', ')} (subprojects/*.wrap or .gitmodules name them, their directories are missing or empty); ${subprojectRemedy}`);
  }
}
