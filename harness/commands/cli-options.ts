import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Shard } from '../case/matrix.js';
import { phaseNames, type PhaseName } from '../record/phases.js';
import { inputError } from '../core/errors.js';
import { printable } from '../core/printable.js';

/** Option parsers shared by the commands: each turns a bad value into commander's usage error. */
export function integer(value: string): number {
  // Number() reads "", " " and "0x10" as numbers too.
  const n = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number, e.g. 42');
  return n;
}

/** A count of something that needs one at least: runs, every K-th commit. */
export function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number, at least 1');
  return n;
}

/** A whole number that may be 0 (0 turns the option's work off). */
export function countOrZero(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || value.trim() === '') throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

/**
 * A comma-separated list option (`--format png,svg`, `--only a,b`): an empty item or an empty
 * list is refused, since "nothing" would otherwise read as "everything" or as an empty output.
 */
export function listOption(flag: string, value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s.length === 0)) throw inputError(`${flag} "${printable(value, 60)}": expected a comma-separated list of names, none of them empty`);
  return items;
}

/** A number of repetitions, as a case's `repetitions:` allows (1 to 1000). */
export function repetitions(value: string): number {
  const n = integer(value);
  if (n < 1 || n > 1000) throw new InvalidArgumentError('expected 1 to 1000 repetitions, as a case allows');
  return n;
}

/** "5" or "5%": a relative change in percent, as reviewers say it. */
function percent(value: string): number {
  const n = Number(value.replace(/%$/, ''));
  if (!(n > 0 && n < 1000)) throw new InvalidArgumentError('expected a percentage above 0, e.g. 5 or 5%');
  return n / 100;
}

/** A repeatable option's values, in the order given. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * An ordered list of QEMU sources, as history, its pipeline and series-matrix take it:
 * `--source` (anything --qemu-src takes), `--rev` of `--repo`, and with `range`, `--range A..B`
 * sampled `--every K`. `repoHelp` says where the repository is read (here, or on CI runners).
 */
export function sourceListOptions(cmd: Command, opts: { range: boolean; repoHelp: string }): Command {
  cmd
    .addOption(new Option('--source <spec>', 'a QEMU source, in order (repeatable): debian:VERSION, debian:SUITE, PATH@REV, a tarball').argParser(collect).default([]))
    .option('--repo <path>', opts.repoHelp)
    .addOption(new Option('--rev <rev>', 'a revision of --repo, after the --source ones, in order (repeatable): a branch, tag, commit or release name (v10.1.0)').argParser(collect).default([]));
  if (!opts.range) return cmd;
  return cmd
    .option('--range <a..b>', 'the commits of --repo from A to B (first-parent), after the --rev ones: A, every K-th, and B')
    .addOption(new Option('--every <k>', 'with --range: one commit in K').argParser(count).default(1));
}

/** "2/3": the second of three shards (`emuflock run --shard`). */
export function shard(value: string): Shard {
  const m = value.match(/^(\d+)\/(\d+)$/);
  const [index, count] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || index < 1 || index > count) throw new InvalidArgumentError('expected I/N, the I-th of N shards (1 ≤ I ≤ N), e.g. 2/3');
  return { index, count };
}

function probability(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('expected a probability between 0 and 1, e.g. 0.01');
  return n;
}

/** `--variants FILE`: where named variants are defined. */
export const variantsFileOption = (): Option => new Option('--variants <file>', 'shared variant definitions (default: patches/variants.yaml)');

/** `--qemu-src`: the QEMU source to build from instead of the variants' own, said for what the command builds. */
export const qemuSourceOption = (builds: string): Option =>
  new Option('--qemu-src <path[@rev]>', `build ${builds} from this QEMU git checkout (at REV, or its working tree), tarball, or Debian version (debian:VERSION or debian:SUITE)`);

/** Options shared by `run` (adaptive repetitions decide with them) and `compare`. */
export function statisticsOptions(cmd: Command, defaults: { threshold: number; alpha: number; metric: PhaseName }, purpose: string): Command {
  return cmd
    .addOption(
      new Option('--threshold <pct>', `${purpose}relative change that matters, in percent`).argParser(percent).default(defaults.threshold, `${defaults.threshold * 100}%`),
    )
    .addOption(new Option('--alpha <p>', `${purpose}significance level of the rank test`).argParser(probability).default(defaults.alpha))
    .addOption(new Option('--metric <phase>', `${purpose}the phase compared`).choices(phaseNames).default(defaults.metric));
}
