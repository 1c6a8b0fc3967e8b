/**
 * A destination QEMU's arguments: the source's own, with its QMP and console sockets moved to
 * the destination's paths, plus `-incoming defer` (the listening address comes later, over
 * QMP `migrate-incoming`, as libvirt does it). Migration needs the same machine and devices
 * on both sides; the same command line is the one way to be sure of that.
 */
export function destinationArgs(sourceArgs: string[], moved: { from: string; to: string }[]): string[] {
  const args = sourceArgs.map((a) => moved.reduce((arg, m) => (arg.includes(`path=${m.from}`) ? arg.replace(`path=${m.from}`, `path=${m.to}`) : arg), a));
  for (const m of moved) {
    if (!args.some((a) => a.includes(`path=${m.to}`))) throw new Error(`the source's command line has no socket at ${m.from}`);
  }
  return [...args, '-incoming', 'defer'];
}
