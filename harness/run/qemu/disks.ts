import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchSpec } from '../../arch/types.js';
import type { TrialParams } from '../../record/params.js';

/** A disk's image path, or undefined for null-co (no file at all: measures QEMU, not the host's storage). */
export interface DiskImage {
  id: string;
  path: string | undefined;
}

/** Sparse raw images (no blocks allocated), created in the trial's private directory. */
export async function createDisks(params: TrialParams, dir: string): Promise<DiskImage[]> {
  const disks: DiskImage[] = [];
  for (let i = 0; i < params.disks; i++) {
    const id = `d${i}`;
    if (params.diskBackend === 'null-co') {
      disks.push({ id, path: undefined });
      continue;
    }
    const path = join(dir, `${id}.img`);
    const fh = await open(path, 'w', 0o600);
    await fh.truncate(params.diskSizeMiB * 1024 * 1024);
    await fh.close();
    disks.push({ id, path });
  }
  return disks;
}

/**
 * The options giving one disk to QEMU, in the case's syntax:
 *   blockdev     -blockdev raw over file (or null-co) + -device, as current management stacks do;
 *   legacy       -drive if=none without unit=, as libvirt of 2015 did (QEMU searches a free unit);
 *   legacy-unit  the same with an explicit unit=, which skips that search.
 */
export function diskArgs(disk: DiskImage, index: number, params: TrialParams, arch: ArchSpec): string[] {
  const sizeBytes = params.diskSizeMiB * 1024 * 1024;
  if (disk.path?.includes(',')) throw new Error(`disk path must not contain a comma: ${disk.path}`);
  const iothreads = params.iothreads ?? 0;
  const device = [
    arch.diskDevice,
    `drive=${disk.id}`,
    `num-queues=${params.queues}`,
    ...(iothreads > 0 ? [`iothread=io${index % iothreads}`] : []),
    ...arch.diskDeviceProps(index, params),
  ].join(',');
  if (params.drives === 'blockdev') {
    const node =
      disk.path === undefined
        ? `driver=null-co,node-name=${disk.id},size=${sizeBytes},read-zeroes=on`
        : `driver=raw,node-name=${disk.id},file.driver=file,file.filename=${disk.path}`;
    return ['-blockdev', node, '-device', device];
  }
  const backend =
    disk.path === undefined ? `driver=null-co,size=${sizeBytes},read-zeroes=on` : `file=${disk.path},format=raw`;
  const unit = params.drives === 'legacy-unit' ? `,unit=${index}` : '';
  return ['-drive', `${backend},if=none,id=${disk.id}${unit}`, '-device', device];
}
