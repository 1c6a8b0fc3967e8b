import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { execa } from 'execa';
import { environmentError } from '../core/errors.js';
import { initScript } from './init-script.js';

/**
 * Writes a gzip'd newc cpio initramfs holding static busybox, virtio_blk.ko, the NIC modules
 * (virtio_net and what it needs, as lib/modules/net/NN-name.ko so that a glob loads them in
 * order) and /init.
 * /dev/console is not in the archive (making device nodes needs root); /init mounts devtmpfs
 * first and reopens its stdio on the console instead.
 */
export async function buildInitramfs(opts: { busybox: string; virtioBlk: string; netModules: string[]; stageDir: string; output: string }): Promise<void> {
  const { stageDir } = opts;
  await mkdir(join(stageDir, 'bin'), { recursive: true });
  await mkdir(join(stageDir, 'lib', 'modules'), { recursive: true });
  await copyFile(opts.busybox, join(stageDir, 'bin', 'busybox'));
  await chmod(join(stageDir, 'bin', 'busybox'), 0o755);
  await copyFile(opts.virtioBlk, join(stageDir, 'lib', 'modules', 'virtio_blk.ko'));
  await writeFile(join(stageDir, 'init'), initScript, { mode: 0o755 });
  await mkdir(join(stageDir, 'lib', 'modules', 'net'));
  const netEntries = opts.netModules.map((ko, i) => `lib/modules/net/${String(i).padStart(2, '0')}-${basename(ko)}`);
  for (const [i, ko] of opts.netModules.entries()) await copyFile(ko, join(stageDir, netEntries[i]!));

  const entries = ['init', 'bin', 'bin/busybox', 'lib', 'lib/modules', 'lib/modules/virtio_blk.ko', 'lib/modules/net', ...netEntries];
  const cpio = execa('cpio', ['--quiet', '-o', '-H', 'newc', '-R', '0:0'], {
    cwd: stageDir,
    input: entries.join('\n') + '\n',
    encoding: 'buffer',
    buffer: false,
    stdout: 'pipe',
    reject: false,
  });
  const written = pipeline(cpio.stdout!, createGzip({ level: 9 }), createWriteStream(opts.output));
  const [result] = await Promise.all([cpio, written]);
  if ((result as { code?: string }).code === 'ENOENT') {
    throw environmentError('cpio is not installed: sudo apt-get install cpio (or run `make setup`)');
  }
  if (result.failed) throw new Error(`cpio failed: ${String(result.stderr)}`);
}
