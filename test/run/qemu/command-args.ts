import { qemuArgs, type CommandInputs } from '../../../harness/run/qemu/qemu-command.js';
import { trialsOf } from '../../helpers.js';

/**
 * The QEMU arguments of a case's first trial, as a session would give them: disk images and
 * sockets under /tmp/x, a kernel and an initramfs; `inputs` replaces any of those.
 */
export function commandArgs(yaml: string, inputs: Partial<Omit<CommandInputs, 'params' | 'disks'>> = {}): string[] {
  const [trial] = trialsOf(yaml);
  const params = trial!.params;
  const disks = Array.from({ length: params.disks }, (_, i) => ({ id: `d${i}`, path: params.diskBackend === 'file' ? `/tmp/x/d${i}.img` : undefined }));
  return qemuArgs({
    params,
    kernel: '/k',
    initrd: '/i',
    disks,
    qmpSocket: '/tmp/x/qmp.sock',
    consoleSocket: '/tmp/x/console.sock',
    dataDir: undefined,
    guestArgs: [],
    ...inputs,
  });
}

/** Every value given to an option, in order (`-device` → each device's string). */
export const after = (args: string[], opt: string): string[] => args.filter((_, i) => args[i - 1] === opt);
