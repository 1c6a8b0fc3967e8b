import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { run } from '../core/exec.js';

/** sha256 of a binary: two variants with equal digests are the same QEMU, whatever their names. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The first line of `qemu-system-* --version`, e.g. "QEMU emulator version 7.2.15 (Debian 1:7.2+dfsg-7+deb12u16)". */
export async function qemuVersion(binary: string): Promise<string> {
  const out = await run(binary, ['--version'], { kind: 'environment', what: `checking ${binary}` });
  return out.split('\n')[0]!.replace(/^QEMU emulator version /, '').trim();
}
