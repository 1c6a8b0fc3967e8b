import { Option, type Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { archNames, type ArchName } from '../arch/index.js';
import { textTable } from '../core/text-table.js';
import { qemuSourceOption, variantsFileOption } from './cli-options.js';

/** `emuflock build`: build variants into the cache and list what was built. */
export function registerBuildCommand(program: Command, { log, shown }: CliIo): void {
  program
    .command('build')
    .description('build QEMU variants (source + patch series + configure flags) into the build cache, ~/.cache/emuflock/builds')
    .argument('<variant...>', 'variant names from patches/variants.yaml')
    .addOption(variantsFileOption())
    .addOption(qemuSourceOption('every variant (instead of its own source)'))
    .addOption(new Option('--arch <arch>', 'guest architecture (target)').default('s390x').choices(archNames))
    .addHelpText(
      'after',
      '\nExamples:\n  emuflock build fixed unfixed\n  emuflock build upstream --qemu-src ~/src/qemu@v7.2.0\n  emuflock build qemu-10.2 qemu-10.2-drain-fix\n  emuflock build upstream --qemu-src debian:trixie\n\nA variant whose build key (source, patch bytes, configure flags, targets) was built before is not rebuilt.\nA series is taken in its version for the source\'s QEMU release (patches/<series>/qemu-<release>/).\n\nExit status: 0 built, 2 bad input (unknown variant, a series that does not apply or has no version\nfor the release), 3 something missing on the host, 4 configure or ninja failed.',
    )
    .action(async (names: string[], opts: { variants?: string; qemuSrc?: string; arch: ArchName }) => {
      const { loadVariantDefs, lookupVariants } = await import('../variants/variant-defs.js');
      const { resolveVariants } = await import('../variants/resolve.js');
      const defs = await loadVariantDefs(opts.variants);
      const wanted = lookupVariants(names, defs, 'emuflock build');
      const resolved = await resolveVariants(wanted, opts.arch, { log, ...(opts.qemuSrc ? { qemuSrc: opts.qemuSrc } : {}) });
      const rows = [...resolved.values()].map((v) => [v.record.name, v.record.buildKey, v.record.series.join('+') || '-', v.record.qemuVersion, shown(v.binary)]);
      process.stdout.write(textTable(['variant', 'build key', 'series', 'version', 'binary'], rows) + '\n');
    });
}
