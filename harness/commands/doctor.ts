import type { Command } from 'commander';
import { textTable } from '../core/text-table.js';
import type { HostHave, LimitCheck } from '../limits/checks.js';
import { inputError } from '../core/errors.js';
import { integer } from './cli-options.js';

/** `emuflock doctor`: would the cases' trials fit this host, and what to change if not. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check the host\'s limits (open files, threads, memory, aio, ptys, ...) against what each case point needs')
    .argument('[case...]', 'case files (YAML); default cases/smoke.yaml')
    .option('--capacity', 'boot three small fleets shaped like the case\'s guest, fit per-guest and per-disk costs, and project how many guests this host holds and which limit binds first')
    .option('--hold <seconds>', 'with --capacity: how long each fleet idles together before its costs count (default 5; memory grows while guests stay up, so a longer hold projects long-lived guests)', integer)
    .option('--host <spec>', 'with --capacity: also project for a described host, e.g. cpus=64,mem=2T (optional nofile=, file-max=, threads-max=, pid-max=, nproc=, commit=: room under strict overcommit)')
    .addHelpText(
      'after',
      '\nExamples:\n  emuflock doctor cases/disks-4096.yaml\n  prlimit --nofile=1024:1024 emuflock doctor cases/disks-1000.yaml\n\n' +
        'Needs come from constants measured on QEMU 7.2 (harness/limits/needs.ts); the open-file limit shown is the\n' +
        'hard one, which emuflock run raises its soft limit to. `emuflock run` makes the same check before every trial\n' +
        'and records a trial that does not fit as refused-by-preflight (--no-preflight boots it anyway).\n' +
        'A KVM case with nics also gets a line on KVM\'s route table: how many NICs fit it (3 routes each with vhost-net),\n' +
        'or why no count applies (no /dev/vhost-net: NICs take no routes).\n' +
        '\n\nWith --capacity (one case): the fleets are 2 x d, 4 x d and 2 x D guests (d = min(disks, 8), D = max(64, min(disks, 256))),\n' +
        'each fleet held up together for --hold seconds (5); costs are host peaks of all QEMUs together and the CPU a held, idle guest\n' +
        'uses. Example: emuflock doctor --capacity cases/host-16x1024.yaml --host cpus=64,mem=2T\n' +
        '\nExit status: 0 every point fits, 1 some limit is short (the remedies are printed), 2 bad input.',
    )
    .action(async (files: string[], opts: { capacity?: boolean; host?: string; hold?: number }) => {
      if (opts.capacity || opts.host !== undefined || opts.hold !== undefined) {
        if (!opts.capacity) throw inputError(`${opts.host !== undefined ? '--host describes a host' : '--hold holds the fleets'} for --capacity: add --capacity`);
        if (files.length !== 1) throw inputError(`--capacity projects one case; got ${files.length}`);
        if (opts.hold === 0) throw inputError('--hold 0 measures no idle CPU: hold the fleets at least 1 s');
        const { capacityCommand } = await import('./capacity.js');
        const text = await capacityCommand(files[0]!, { hostSpec: opts.host, holdS: opts.hold }, (line) => process.stderr.write(`${line}\n`));
        process.stdout.write(`${text}\n`);
        return;
      }
      const { loadCase } = await import('../case/load.js');
      const cases = [];
      for (const f of files.length > 0 ? files : ['cases/smoke.yaml']) cases.push(await loadCase(f));
      const { casePoints, planTrials } = await import('../case/matrix.js');
      // What `run` refuses outright (guest memory beyond RAM and swap, NICs this host cannot
      // make) is refused here too, not reported as fitting.
      const { checkPlanFitsHost } = await import('../run/host/host-checks.js');
      await checkPlanFitsHost(cases, planTrials(cases));
      const { describeHost } = await import('../measure/host.js');
      const { raiseOpenFileLimit } = await import('../limits/open-file-limit.js');
      const { checkLimits } = await import('../limits/checks.js');
      const { nicRouteVerdict } = await import('../limits/nic-route-limit.js');
      // What a run would see: its soft open-file limit raised to the hard one.
      await raiseOpenFileLimit();
      const host = await describeHost();
      const have: HostHave = { limits: host.limits, memAvailableKiB: host.memAvailableKiB, vhostNet: host.vhostNet === true };
      let short = 0;
      for (const c of cases) {
        for (const { point, params } of casePoints(c)) {
          const checks = checkLimits(params, have);
          short += checks.filter((k) => !k.fits && !k.advisory).length;
          const nicRoutes = nicRouteVerdict(params, host.limits.kvmIrqRoutes ?? null, host.vhostNet === true);
          process.stdout.write(`${c.name} ${point}\n${doctorTable(checks)}\n${nicRoutes ? `${nicRoutes}\n` : ''}\n`);
        }
      }
      process.stdout.write(short === 0 ? 'every point fits this host\n' : `${short} limit${short > 1 ? 's are' : ' is'} short: see the remedies above\n`);
      if (short > 0) process.exitCode = 1;
    });
}

export function doctorTable(checks: LimitCheck[]): string {
  const rows = checks.map((c) => [c.limit, `${c.need}`, c.have === null ? 'unlimited' : `${c.have}`, c.unit, c.fits ? 'ok' : c.advisory ? 'OVER (booted: falls back)' : 'SHORT']);
  const remedies = checks.filter((c) => !c.fits).map((c) => `  ${c.limit}: ${c.remedy ?? ''}`);
  return [textTable(['limit', 'need', 'have', 'unit', 'verdict'], rows), ...(remedies.length > 0 ? ['remedies:', ...remedies] : [])].join('\n');
}
