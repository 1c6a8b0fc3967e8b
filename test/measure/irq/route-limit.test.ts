import t from 'tap';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeHost } from '../../../harness/measure/host.js';
import { hostRouteLimit, kvmCapsTool, readRouteLimit } from '../../../harness/measure/irq/route-limit.js';
import { tempDir } from '../../helpers.js';
import { kvmUnusable } from '../../boot-helpers.js';

const exists = (path: string) => access(path).then(() => true, () => false);

/** Runs fn with some environment variables replaced, then puts them back. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

t.test('the helper is compiled once into the cache, keyed by its source', async (t) => {
  const cache = await tempDir('emuflock-irq-cache-');
  await withEnv({ XDG_CACHE_HOME: cache }, async () => {
    const tool = await kvmCapsTool();
    t.match(tool, new RegExp(`^${cache}/emuflock/tools/kvm-caps-[0-9a-f]{16}/kvm-caps$`));
    t.ok(await exists(tool));
    t.equal(await kvmCapsTool(), tool, 'a second call finds it');
    // Found in the cache, it needs no compiler.
    t.equal(await withEnv({ PATH: '/nonexistent' }, () => kvmCapsTool()), tool);
  });
});

t.test("the host's route limit is read from /dev/kvm", { skip: (await kvmUnusable()) ?? false }, async (t) => {
  const limit = await readRouteLimit();
  // KVM_MAX_IRQ_ROUTES: 4096 on this machine's kernel and on s390x, 1024 on old x86 kernels.
  t.ok(limit.routes === 4096 || limit.routes === 1024, `KVM_CAP_IRQ_ROUTING = ${String(limit.routes)}`);
  t.equal(limit.reason, undefined);
  t.equal(hostRouteLimit(), hostRouteLimit(), 'read once per process');
  t.same(await hostRouteLimit(), limit);
  t.equal((await describeHost()).limits.kvmIrqRoutes, limit.routes);
});

t.test('no KVM, or no way to ask: null and the reason', async (t) => {
  t.same(await readRouteLimit('/nonexistent/kvm'), { routes: null, reason: '/nonexistent/kvm does not exist: no KVM on this host' });
  t.match(await readRouteLimit('/dev/null'), { routes: null, reason: /KVM_GET_API_VERSION on \/dev\/null: Inappropriate ioctl/ });
  const cache = await tempDir('emuflock-irq-cache-');
  const noGcc = await withEnv({ XDG_CACHE_HOME: cache, PATH: '/nonexistent' }, () => readRouteLimit('/dev/null'));
  t.match(noGcc, { routes: null, reason: /gcc is not installed/ });
  const left = await readdir(join(cache, 'emuflock', 'tools'), { recursive: true, withFileTypes: true }).catch(() => []);
  t.same(left.filter((e) => e.isFile()).map((e) => e.name), [], 'nothing half-built is left');
});
