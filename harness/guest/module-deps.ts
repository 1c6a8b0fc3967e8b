import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * A kernel module's dependencies, read from its `.modinfo` section (`depends=a,b`): Debian's
 * kernel package ships no modules.dep (depmod makes it at install time), and modinfo reads
 * the same string. The section is plain NUL-separated text, whatever the module's byte order.
 */
export function modinfoDepends(ko: Buffer): string[] {
  const text = ko.toString('latin1');
  const at = text.search(/(^|\0)depends=/);
  if (at < 0) return [];
  const start = text.indexOf('depends=', at) + 'depends='.length;
  const value = text.slice(start, text.indexOf('\0', start));
  return value.split(',').filter((d) => d.length > 0);
}

/**
 * The modules to insmod, dependencies first, for `wanted` (paths under the kernel's module
 * tree, e.g. drivers/net/virtio_net.ko). `index` maps a module name to its path there.
 */
export async function loadOrder(moduleDir: string, wanted: string[], index: Map<string, string>): Promise<string[]> {
  const order: string[] = [];
  const visit = async (path: string, chain: string[]): Promise<void> => {
    if (order.includes(path)) return;
    const name = moduleName(path);
    if (chain.includes(name)) throw new Error(`kernel modules depend on each other in a cycle: ${[...chain, name].join(' -> ')}`);
    for (const dep of modinfoDepends(await readFile(join(moduleDir, path)))) {
      const depPath = index.get(dep) ?? index.get(dep.replaceAll('-', '_'));
      if (!depPath) throw new Error(`kernel module ${name} needs ${dep}, which the kernel package does not have`);
      await visit(depPath, [...chain, name]);
    }
    order.push(path);
  };
  for (const w of wanted) await visit(w, []);
  return order;
}

/** `virtio_net` for drivers/net/virtio_net.ko: the name insmod and `depends=` use. */
export function moduleName(path: string): string {
  return basename(path).replace(/\.ko$/, '').replaceAll('-', '_');
}

/** Every module of a kernel's module tree by name, as paths relative to it. */
export async function moduleIndex(moduleDir: string): Promise<Map<string, string>> {
  const files = (await readdir(moduleDir, { recursive: true })).filter((f) => f.endsWith('.ko'));
  return new Map(files.map((f) => [moduleName(f), f]));
}
