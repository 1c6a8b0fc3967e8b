import { archSpec } from '../../arch/index.js';
import { diskArgs, type DiskImage } from './disks.js';
import { ptyConsoleArgs } from './pty-consoles.js';
import { nicArgs } from './nic-network.js';
import type { TrialParams } from '../../record/params.js';

export interface CommandInputs {
  params: TrialParams;
  kernel: string;
  /** Absent for a single-image guest. */
  initrd: string | undefined;
  disks: DiskImage[];
  qmpSocket: string;
  consoleSocket: string;
  /** Firmware and option ROM directory (-L); built variants ship none of their own. */
  dataDir: string | undefined;
  /** The guest protocol's kernel arguments (guest/protocol.ts kernelArgs). */
  guestArgs: string[];
  /** The host has /dev/vhost-net: NICs' taps get vhost=on. */
  vhostNet?: boolean;
}

/**
 * The QEMU argument vector for one trial. QEMU starts paused (-S) and connects out to the
 * harness's QMP and console sockets, so both exist before QEMU does: no polling, no races.
 * -nodefaults keeps the device set exactly what the case asks for.
 */
export function qemuArgs(inputs: CommandInputs): string[] {
  const { params } = inputs;
  const arch = archSpec(params.arch);
  const append = [arch.kernelConsole, 'quiet', ...inputs.guestArgs].join(' ');
  return [
    ...(inputs.dataDir ? ['-L', inputs.dataDir] : []),
    '-nodefaults',
    '-no-user-config',
    '-S',
    '-display', 'none',
    '-machine', machineOption(params, arch.defaultMachine),
    '-accel', params.accel,
    '-smp', String(params.cpus),
    '-m', `${params.memoryMiB}M`,
    '-chardev', `socket,id=qmp,path=${inputs.qmpSocket}`,
    '-mon', 'chardev=qmp,mode=control',
    '-chardev', `socket,id=console,path=${inputs.consoleSocket}`,
    '-serial', 'chardev:console',
    '-kernel', inputs.kernel,
    ...(inputs.initrd ? ['-initrd', inputs.initrd] : []),
    '-append', append,
    '-no-reboot',
    ...arch.machineArgs(params),
    ...iothreadArgs(params),
    ...inputs.disks.flatMap((d, i) => diskArgs(d, i, params, arch)),
    ...Array.from({ length: params.nics ?? 0 }, (_, i) => nicArgs(i, params, arch, inputs.vhostNet === true)).flat(),
    // Pty controllers take the next free device number or slot: after every explicit one.
    ...ptyConsoleArgs(params.ptys ?? 0, arch),
  ];
}

/** The machine, with KVM's kernel-irqchip mode when the case sets one. */
function machineOption(params: TrialParams, defaultMachine: string): string {
  const machine = params.machine ?? defaultMachine;
  return params.irqchip ? `${machine},kernel-irqchip=${params.irqchip}` : machine;
}

function iothreadArgs(params: TrialParams): string[] {
  return Array.from({ length: params.iothreads ?? 0 }, (_, i) => ['-object', `iothread,id=io${i}`]).flat();
}
