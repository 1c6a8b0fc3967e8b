import { access } from 'node:fs/promises';
import { execa } from 'execa';
import type { Plan } from '../../case/matrix.js';
import { environmentError } from '../../core/errors.js';

/**
 * A case with NICs needs what every such trial will use: /dev/net/tun, and a network namespace
 * this process may create (`unshare --net`, as QEMU's launch does; root, or CAP_NET_ADMIN).
 * Tried once for real before the run, so that a host without them is one clear error rather
 * than every trial recorded as a crashed QEMU.
 */
export async function checkNicsPossible(plan: Plan): Promise<void> {
  const trial = plan.trials.find((t) => (t.params.nics ?? 0) > 0);
  if (!trial) return;
  const where = `case ${trial.case} gives its guests NICs (nics: ${String(trial.params.nics)})`;
  await access('/dev/net/tun').catch(() => {
    throw environmentError(`${where}, and this host has no /dev/net/tun for their taps (modprobe tun)`);
  });
  const r = await execa('unshare', ['--net', '--', 'true'], { reject: false });
  if (r.exitCode !== 0) {
    throw environmentError(`${where}, each in a network namespace of QEMU's own, and \`unshare --net\` fails here (${r.stderr.trim() || `exit ${String(r.exitCode)}`}): run emuflock as root`);
  }
}
