import type { ArchSpec } from '../../arch/types.js';
import type { TrialParams } from '../../record/params.js';

/**
 * A guest's NICs: one tap per virtio-net device, the taps spread over Linux bridges, all made in
 * a network namespace that QEMU's own process creates (`unshare --net`, qemu-process.ts)
 * before it execs QEMU. The namespace has no name and no other process: it, its taps and its
 * bridges vanish when QEMU dies, however it dies, and the host's namespace is never touched.
 *
 * A bridge holds 1023 ports, not the 1024 of the kernel's BR_MAX_PORTS: port number 0 is
 * reserved (net/bridge/br_if.c, find_portno), and the 1024th `ip link set ... master` fails
 * with "Exchange full" (measured here, Linux 6.18). So N taps need ceil(N / 1023) bridges.
 */
export const bridgePortsMax = 1023;

export function tapName(nic: number): string {
  return `t${nic}`;
}

export function bridgeName(bridge: number): string {
  return `br${bridge}`;
}

/** The bridge NIC i's tap is a port of. */
export function bridgeOf(nic: number): number {
  return Math.floor(nic / bridgePortsMax);
}

export function bridgesFor(nics: number): number {
  return Math.ceil(nics / bridgePortsMax);
}

/**
 * The `ip -batch` input making N taps and their bridges (one ip process, not 2N: 1025 taps
 * and a bridge take 0.8 s here). Taps stay down: the guest sees its NICs either way and
 * sends nothing.
 */
export function networkSetupBatch(nics: number): string {
  const lines: string[] = [];
  for (let b = 0; b < bridgesFor(nics); b++) lines.push(`link add ${bridgeName(b)} type bridge`);
  for (let i = 0; i < nics; i++) {
    lines.push(`tuntap add dev ${tapName(i)} mode tap`, `link set ${tapName(i)} master ${bridgeName(bridgeOf(i))}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Each NIC's MAC is given: QEMU 7.2 makes a missing one from 52:54:00:12:34:<free byte>, and
 * after 169 NICs (0x56-0xfe) qemu_macaddr_get_free() returns -1, so every later NIC gets
 * 52:54:00:12:34:ff (net/net.c). 52:54:01 keeps clear of QEMU's own range.
 */
export function nicMac(nic: number): string {
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return `52:54:01:${hex((nic >> 16) & 0xff)}:${hex((nic >> 8) & 0xff)}:${hex(nic & 0xff)}`;
}

/** The options giving NIC i to QEMU: a tap netdev (vhost-net where the host has it) and the arch's virtio-net device. */
export function nicArgs(nic: number, params: TrialParams, arch: ArchSpec, vhostNet: boolean): string[] {
  const netdev = `tap,id=n${nic},ifname=${tapName(nic)},script=no,downscript=no${vhostNet ? ',vhost=on' : ''}`;
  const device = [arch.nicDevice, `netdev=n${nic}`, `mac=${nicMac(nic)}`, ...arch.nicDeviceProps(nic, params)].join(',');
  return ['-netdev', netdev, '-device', device];
}
