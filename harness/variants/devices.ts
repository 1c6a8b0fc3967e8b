import { run } from '../core/exec.js';
import type { ConfigureOptions } from './configure-options.js';
import type { SourceTree } from './source-repo.js';

/**
 * The devices file emuflock gives configure: configs/devices/<target>/emuflock.mak in the work
 * tree, named by `--with-devices-ARCH=emuflock` (configure takes a name in that folder, nothing
 * else, from 7.2 to 10.2).
 */
export const devicesConfigName = 'emuflock';

export interface DevicesSetup {
  /** The configure flags, none when the source cannot build a chosen device set. */
  flags: string[];
  /** File text by target folder ("s390x-softmmu"); absent with no flags. */
  devices?: Record<string, string>;
  /** Wanted symbols the source's Kconfig does not define. */
  undefinedSymbols: string[];
}

/**
 * A target built with only the devices its trials use: `--without-default-devices` leaves out
 * every device that is merely allowed (Kconfig `default y`, a board's `imply`), and the file
 * names the board and devices wanted, whose `select`s Kconfig adds. A source whose configure
 * lacks either switch builds its default devices: one without the other would be a QEMU
 * without virtio-blk, or no change at all. A symbol the source's Kconfig does not define is
 * left out, as minikconf refuses it: its device is then built unconditionally (pci-bridge up
 * to 7.2) or does not exist in that release, and a trial using it fails as it would with every
 * device built.
 */
export function devicesSetup(arch: string, wanted: readonly string[], options: ConfigureOptions, defined: ReadonlySet<string>): DevicesSetup {
  const flags = ['--without-default-devices', `--with-devices-${arch}=${devicesConfigName}`];
  const undefinedSymbols = wanted.filter((k) => !defined.has(k));
  // No Kconfig at all is a QEMU older than any configure with these switches.
  if (defined.size === 0 || !flags.every((f) => options.has(f))) return { flags: [], undefinedSymbols };
  const symbols = wanted.filter((k) => defined.has(k));
  return { flags, devices: { [`${arch}-softmmu`]: devicesFile(symbols) }, undefinedSymbols };
}

function devicesFile(symbols: readonly string[]): string {
  return ['# emuflock: the machine and devices its trials use (harness/arch/)', ...symbols.map((k) => `CONFIG_${k}=y`)].join('\n') + '\n';
}

/** The Kconfig symbols a source defines (`config NAME` in its Kconfig files). */
export async function kconfigSymbols(source: SourceTree): Promise<Set<string>> {
  // A Debian tree keeps quilt's copies of patched files under .pc/: not the source's own.
  // git grep exits 1 when nothing matches: a source without Kconfig files.
  const grep = 'git -C "$0" grep -h -E "^config [A-Z0-9_]+[[:space:]]*$" "$1" -- "*Kconfig*" ":(exclude).pc" || [ $? -eq 1 ]';
  const text = await run('sh', ['-c', grep, source.repo, source.commit], { what: `reading the Kconfig symbols of ${source.label}` });
  return new Set(text.split('\n').map((l) => l.replace(/^config\s+/, '').trim()).filter(Boolean));
}
