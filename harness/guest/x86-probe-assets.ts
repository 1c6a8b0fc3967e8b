import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { dir as tmpDir } from 'tmp-promise';
import { run } from '../core/exec.js';
import { environmentError } from '../core/errors.js';
import { assetsCacheDir, projectRoot } from '../core/paths.js';
import type { GuestAssets } from './guest-assets.js';

/** The x86 probe: one multiboot ELF, no initramfs (harness/guest/x86-probe/probe.c). */
export interface X86ProbeAssets extends GuestAssets {
  arch: 'x86_64';
}

export const probeSourceDir = (): string => join(projectRoot(), 'harness', 'guest', 'x86-probe');

/**
 * A 32-bit freestanding image: QEMU's multiboot loader takes ELF32 only. No libc and no
 * libgcc (a 64-bit host's gcc has no 32-bit libgcc without gcc-multilib; probe.c divides
 * 64-bit numbers itself). General registers only: nothing enables SSE in the guest.
 */
export const probeCflags = [
  '-m32', '-march=i686', '-mgeneral-regs-only',
  '-ffreestanding', '-fno-builtin', '-fno-pic', '-fno-pie', '-no-pie',
  '-fno-stack-protector', '-fno-asynchronous-unwind-tables',
  '-O2', '-Wall', '-Wextra', '-Werror',
  '-nostdlib', '-static',
  '-Wl,--build-id=none', '-Wl,-n', '-Wl,--no-warn-rwx-segments',
];

/**
 * Returns the cached probe, building it with the system gcc when missing. The key is a hash of
 * the source files, gcc's version and the flags: any change builds a new image, never reuses a
 * stale one. A hit costs one `gcc --version`.
 */
export async function ensureX86ProbeAssets(log: (line: string) => void = () => {}): Promise<X86ProbeAssets> {
  const gcc = await gccVersion();
  const srcDir = probeSourceDir();
  const names = (await readdir(srcDir)).filter((f) => /\.(c|S|ld)$/.test(f)).sort();
  const hash = createHash('sha256');
  for (const name of names) hash.update(`${name}\0`).update(await readFile(join(srcDir, name))).update('\0');
  hash.update(gcc).update('\0').update(probeCflags.join(' '));
  const key = `x86-probe-${hash.digest('hex').slice(0, 16)}`;
  const dir = join(assetsCacheDir(), key);
  const assets: X86ProbeAssets = {
    arch: 'x86_64',
    kernel: join(dir, 'probe.elf'),
    kernelPackage: 'emuflock-x86-probe',
    kernelVersion: key,
    busyboxVersion: 'none',
    key,
  };
  if (await exists(join(dir, 'manifest.json'))) return assets;

  log(`building the x86 probe guest with ${gcc}`);
  await mkdir(assetsCacheDir(), { recursive: true });
  const work = await tmpDir({ unsafeCleanup: true, tmpdir: assetsCacheDir(), prefix: '.build-' });
  try {
    const out = join(work.path, 'out');
    await mkdir(out);
    const sources = names.filter((n) => !n.endsWith('.ld')).map((n) => join(srcDir, n));
    await run('gcc', [...probeCflags, '-T', join(srcDir, 'probe.ld'), '-o', join(out, 'probe.elf'), ...sources], {
      what: 'building the x86 probe guest',
    });
    await writeFile(
      join(out, 'manifest.json'),
      JSON.stringify({ ...assets, kernel: 'probe.elf', gcc, cflags: probeCflags, sources: names }, null, 2) + '\n',
    );
    // Rename is atomic: a concurrent or interrupted build never leaves a half-made asset dir.
    await rename(out, dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    });
  } finally {
    await work.cleanup();
  }
  return assets;
}

async function gccVersion(): Promise<string> {
  const result = await execa('gcc', ['--version'], { reject: false });
  if (result.failed || typeof result.stdout !== 'string') {
    throw environmentError('gcc is not installed; the x86_64 probe guest is built with it: sudo apt-get install gcc');
  }
  return result.stdout.split('\n')[0]!.trim();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
