import { Option, type Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { archNames, type ArchName } from '../arch/index.js';

/** `emuflock assets`: fetch or build an architecture's guest. */
export function registerAssetsCommand(program: Command, { log }: CliIo): void {
  program
    .command('assets')
    .description('fetch and build the guest assets into ~/.cache/emuflock/assets: s390x, Debian\'s kernel + a busybox initramfs; x86_64, the bare-metal probe (gcc)')
    .addOption(new Option('--arch <arch>', 'guest architecture').default('s390x').choices(archNames))
    .addHelpText(
      'after',
      '\nExamples:\n  emuflock assets\n  emuflock assets --arch x86_64\n\nA second call reuses the cache (keyed by package versions, or the probe\'s sources and compiler) and takes milliseconds.',
    )
    .action(async (opts: { arch: ArchName }) => {
      const { ensureGuestAssets } = await import('../guest/assets.js');
      const a = await ensureGuestAssets(opts.arch, log);
      const lines = a.initrd
        ? [`kernel: ${a.kernel}`, `  from ${a.kernelPackage} ${a.kernelVersion}`, `initrd: ${a.initrd}`, `  busybox-static ${a.busyboxVersion}`]
        : [`guest: ${a.kernel}`, `  ${a.kernelPackage} ${a.kernelVersion}`];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
