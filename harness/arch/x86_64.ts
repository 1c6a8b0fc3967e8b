import type { ArchSpec, MachineShape } from './types.js';

/**
 * x86_64 on the pc (i440FX) machine, booting the bare-metal probe (harness/guest/x86-probe/)
 * through qboot, which loads a multiboot kernel given with -kernel and does little else: the
 * probe numbers the buses, assigns the BARs and drives the virtio devices itself.
 *
 * Disks are modern-only virtio-blk-pci devices (`disable-legacy=on`: no I/O BAR, so the 64 KiB
 * I/O space is never the limit) on pci-bridges (`shpc=off`: no hot-plug controller, so all 32
 * slots of a bridge hold a disk). Disk i sits in slot i % 32 of leaf bridge br<i / 32>.
 * Up to 30 leaf bridges go straight onto bus 0 (slots 2-31; 0 is the host bridge, 1 the
 * PIIX3); more are nested, 32 to a top bridge top<j> on bus 0. Every bridge is a bus number
 * and a chassis number, both 8-bit: 255 bridges at most, e.g. 8 top + 247 leaf bridges.
 *
 * QEMU itself holds fewer: every enabled disk puts 7 sections into the system memory map
 * (4 virtio regions; MSI-X table and PBA, which share a page, plus that page's subpage), and
 * QEMU aborts once the map passes 4096 (`phys_section_add: Assertion 'map->sections_nb <
 * TARGET_PAGE_SIZE'`). Measured with QEMU 7.2, the probe and one queue per disk: 584 disks
 * boot, 585 abort while the guest enables them (the count is QEMU's memory map, whatever the
 * guest). A trial past that is a qemu-crashed Observation, not refused: a patched variant may
 * lift the limit.
 */
export const disksPerBridge = 32;
const bus0Slots = { first: 2, count: 30 };
const maxBridges = 255;

/** The bridges a disk count needs: leaves hold the disks, tops hold leaves once bus 0 is full. */
export function bridgeLayout(disks: number): { leaves: number; tops: number } {
  const leaves = Math.ceil(disks / disksPerBridge);
  const tops = leaves <= bus0Slots.count ? 0 : Math.ceil(leaves / disksPerBridge);
  return { leaves, tops };
}

/** The largest leaf count whose bridges (leaves + tops) fit in 255 bus and chassis numbers. */
function maxLeaves(): number {
  let leaves = maxBridges;
  while (leaves + bridgeLayout(leaves * disksPerBridge).tops > maxBridges) leaves--;
  return leaves;
}

const leavesAtMost = maxLeaves();
const topsAtMost = bridgeLayout(leavesAtMost * disksPerBridge).tops;

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function bridgeArgs(params: MachineShape): string[] {
  const { leaves, tops } = bridgeLayout(params.disks + (params.nics ?? 0));
  const args: string[] = [];
  // Chassis numbers: leaves 1..L, tops L+1..L+T; unique and non-zero, as QEMU requires.
  for (let j = 0; j < tops; j++) {
    args.push('-device', `pci-bridge,id=top${j},chassis_nr=${leaves + j + 1},shpc=off,bus=pci.0,addr=${hex(bus0Slots.first + j)}`);
  }
  for (let k = 0; k < leaves; k++) {
    const place =
      tops === 0
        ? `bus=pci.0,addr=${hex(bus0Slots.first + k)}`
        : `bus=top${Math.floor(k / disksPerBridge)},addr=${hex(k % disksPerBridge)}`;
    args.push('-device', `pci-bridge,id=br${k},chassis_nr=${k + 1},shpc=off,${place}`);
  }
  return args;
}

/** Modern-only virtio PCI device in slot i % 32 of leaf bridge br<i / 32>. */
function pciPlace(slot: number): string[] {
  return ['disable-legacy=on', `bus=br${Math.floor(slot / disksPerBridge)}`, `addr=${hex(slot % disksPerBridge)}`];
}

/** The value the probe writes to isa-debug-exit after its ready marker (x86-probe/probe.c). */
export const probeSuccessCode = 0x10;

export const x86_64: ArchSpec = {
  name: 'x86_64',
  qemuBinary: 'qemu-system-x86_64',
  defaultMachine: 'pc',
  machineTypes: { pattern: /^(pc|q35|isapc|microvm|nitro|nitro-enclave|none|x-remote|xenpv|xenpvh|xenfv|pc-((i440fx|q35)-)?\d+\.\d+(\.\d+)?|xenfv-\d+\.\d+)$/, shown: 'pc, q35, pc-i440fx-X.Y, pc-q35-X.Y, microvm, isapc' },
  diskDevice: 'virtio-blk-pci',
  maxDisks: leavesAtMost * disksPerBridge,
  maxDisksReason:
    `the pc machine holds ${leavesAtMost * disksPerBridge} virtio-blk-pci disks: ${leavesAtMost} pci-bridges × ${disksPerBridge} slots, ` +
    `nested under ${topsAtMost} bridges on bus 0, and 255 bridges is the limit of 8-bit bus and chassis numbers`,
  irqchipModes: ['on', 'split', 'off'],
  virtioSerialDevice: 'virtio-serial-pci',
  kernelConsole: 'console=ttyS0',
  // pc is I440FX; it creates an HPET, vmport and vmmouse whenever they are built in (pc.c), so
  // they stay and the machine is the one a full build boots. CXL too (with the PCIe core and
  // the expander bridge it depends on), as in a full build: the board's ACPI selects the CXL
  // tables, whose code calls into hw/cxl, and 10.2 has no stub for cxl_fmws_get_all_sorted (it
  // does not link without CXL). 7.2's CXL needs two more: hw/cxl calls the type-3 memory
  // device's accessors (cxl_type3_read/write: it does not link without CXL_MEM_DEVICE), and its
  // root port type derives from pcie-root-port-base (without PCIE_PORT QEMU aborts at start:
  // "Type 'cxl-rp' is missing its parent"). Then the exit device, the bridges and the virtio
  // devices.
  buildDevices: [
    'I440FX', 'HPET', 'VMPORT', 'VMMOUSE', 'PCI_EXPRESS', 'PXB', 'CXL', 'CXL_MEM_DEVICE', 'PCIE_PORT',
    'ISA_DEBUG', 'PCI_BRIDGE', 'VIRTIO_PCI', 'VIRTIO_BLK', 'VIRTIO_NET', 'VIRTIO_SERIAL',
  ],
  machineArgs: (params) => [
    // Resolved in the data directories (-L first): built variants use Debian's firmware.
    '-bios', 'qboot.rom',
    // `host` and `max` abort under nested (PVM) KVM; qemu64 without cmpxchg16b boots everywhere.
    '-cpu', 'qemu64,-cx16',
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
    ...bridgeArgs(params),
  ],
  diskDeviceProps: (index) => pciPlace(index),
  nicDevice: 'virtio-net-pci',
  // NICs fill the bridge slots after the disks'.
  nicDeviceProps: (index, params) => pciPlace(params.disks + index),
  // The probe counts the virtio-net devices on its buses (nics=) but drives virtio-blk only:
  // NICs get no vectors, so under KVM they take no routes here (a Linux guest's would).
  guestCountsNics: true,
  // The config vector, rx and tx (a Linux guest gives the ctrl queue no vector): QEMU 10.2
  // routes the config vector too (kvm_virtio_pci_vector_config_use); 7.2 does not, so 2 there.
  nicRoutesWithVhost: 3,
  // The bare-metal probe touches little: in the migration fixture's 96-guest trial the 32
  // guests left without a port held (22461 MiB - 64 migrating guests of 319) / 32 = 65 MiB each,
  // 30 of them QEMU's own.
  guestTouchedBaseMiB: 35,
  // isa-debug-exit makes QEMU exit with (value << 1) | 1.
  guestExitStatus: (probeSuccessCode << 1) | 1,
};
