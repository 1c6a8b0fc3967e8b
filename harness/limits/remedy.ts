import { archSpec } from '../arch/index.js';
import type { TrialParams } from '../record/params.js';

/**
 * The exact commands that raise a limit to what is needed. RLIMIT_* are inherited from the
 * process that starts emuflock, so they are raised there (shell, systemd unit, CI runner);
 * sysctls are system-wide and need root.
 */
export function sysctlRemedy(key: string, value: number): string {
  return `sysctl -w ${key}=${value} (as root; to keep it: echo '${key} = ${value}' > /etc/sysctl.d/90-emuflock.conf)`;
}

/** emuflock raises its soft limit to the hard one itself, so only a hard limit can fall short. */
export function nofileRemedy(need: number, hard: number | null): string {
  return (
    `raise the hard limit${hard === null ? '' : ` (${hard})`} to ${need}, which needs root: \`prlimit --pid <shell pid> --nofile=${need}:${need}\`, ` +
    `LimitNOFILE=${need} in the systemd unit that runs emuflock, or '* hard nofile ${need}' in /etc/security/limits.conf (then \`ulimit -n ${need}\`)`
  );
}

export function nprocRemedy(need: number): string {
  return `ulimit -u ${need} in the shell that runs emuflock, or LimitNPROC=${need} in its systemd unit (RLIMIT_NPROC counts every thread of the user)`;
}

/** A devpts instance's max= is its mount's: a container's is set by whoever starts the container. */
export function devptsRemedy(need: number): string {
  return `mount /dev/pts with room for ${need} more ptys: \`mount -o remount,max=N /dev/pts\` as root where it was mounted (for a container, its runtime's devpts options)`;
}

export const memoryRemedy = 'no setting gives memory: run fewer guests or disks at once, or free memory on the host';

/** Not a setting: the machine's buses hold so many devices. */
export function diskSlotsRemedy(params: TrialParams): string {
  return `fewer disks per guest: ${archSpec(params.arch).maxDisksReason}`;
}

export const routesRemedy =
  'not a setting (KVM_MAX_IRQ_ROUTES is compiled into the kernel): past it devices fall back to userspace notification, ' +
  'or QEMU 7.2 with the default irqchip aborts; fewer disks x queues per guest, or measure the fallback (it is booted anyway)';
