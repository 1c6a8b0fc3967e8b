import t from 'tap';
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bridgePortsMax, networkSetupBatch } from '../../harness/run/qemu/nic-network.js';
import { tempDir } from '../helpers.js';

// The kernel's bridge port limit, and the taps of 1025 NICs spread over bridges, made for real
// in a private network namespace (gone when its one process exits; the host's is not touched).

/** Runs `ip -batch` on `batch`, then lists each bridge's ports, all in a fresh namespace. */
async function inPrivateNamespace(batch: string): Promise<{ ok: boolean; stderr: string; portsPerBridge: Record<string, number> }> {
  const dir = await tempDir();
  const file = join(dir, 'batch');
  await writeFile(file, batch);
  const script = `ip -batch "$1" 2>&1 >/dev/null; echo "rc=$?"; for b in $(ip -o link show type bridge | cut -d: -f2); do echo "$b $(ip -o link show master "$b" | wc -l)"; done`;
  const r = await execa('unshare', ['--net', '--', 'sh', '-c', script, 'sh', file]);
  const lines = r.stdout.split('\n');
  const rc = lines.find((l) => l.startsWith('rc='));
  const portsPerBridge = Object.fromEntries(lines.filter((l) => /^\S+ \d+$/.test(l.trim())).map((l) => l.trim().split(' ')).map(([b, n]) => [b!, Number(n)]));
  return { ok: rc === 'rc=0', stderr: lines.filter((l) => !l.startsWith('rc=') && !/^\S+ \d+$/.test(l.trim())).join('\n'), portsPerBridge };
}

const root = process.getuid?.() === 0;

t.test('a Linux bridge takes 1023 ports and refuses the 1024th (port 0 is reserved)', { skip: root ? false : 'needs root for a network namespace', timeout: 60_000 }, async (t) => {
  const oneBridge = ['link add br0 type bridge'];
  for (let i = 0; i <= bridgePortsMax; i++) oneBridge.push(`tuntap add dev t${i} mode tap`, `link set t${i} master br0`);
  const r = await inPrivateNamespace(oneBridge.join('\n') + '\n');
  t.notOk(r.ok, 'the kernel refuses a port past the limit');
  t.match(r.stderr, /Exchange full/);
  t.same(r.portsPerBridge, { br0: bridgePortsMax });
});

t.test('the taps of 1025 NICs are spread over two bridges, every tap a port', { skip: root ? false : 'needs root for a network namespace', timeout: 60_000 }, async (t) => {
  const r = await inPrivateNamespace(networkSetupBatch(1025));
  t.ok(r.ok, r.stderr);
  t.same(r.portsPerBridge, { br0: 1023, br1: 2 });
});
