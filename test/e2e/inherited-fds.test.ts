import t from 'tap';
import { readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runTrialUnder } from '../boot-helpers.js';
import { tempDir } from '../helpers.js';

/**
 * The guests `parent` runs (its children running qemu-system-* with a -kernel), each with what
 * its fds point to. Not the QEMUs it only asks (`--version`, `-machine help`): those are children
 * of Node's, hold what Node inherited for their instant, and count in no figure.
 */
async function qemuFdTargets(parent: number): Promise<string[][]> {
  const found: string[][] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent || !/\/qemu-system-[^/]+$/.test(await readlink(`/proc/${pid}/exe`))) continue;
      if (!(await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').includes('-kernel')) continue;
      const fds = await readdir(`/proc/${pid}/fd`);
      found.push(await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

// A caller's stray fds would count against QEMU's RLIMIT_NOFILE and make every fd figure
// depend on who started emuflock (a shell's spare /dev/null, a CI runner's pipe). Checked in
// QEMU's own fd table while it runs: a leaked fd stays there for QEMU's whole life, so every
// look sees it. Comparing two trials' fd peaks instead once failed with no fd leaked (15
// against 23 on a loaded host): one trial's sample at ready had been read after the guest's
// power-off closed its disks' notifiers.
t.test('fds emuflock inherits do not reach QEMU', { timeout: 120_000 }, async (t) => {
  const marker = join(await tempDir(), 'inherited-by-emuflock');
  await writeFile(marker, '');
  const opens = Array.from({ length: 5 }, (_, i) => `${20 + i}<${marker}`).join(' ');
  const looks: string[][] = [];
  let trialRunning = true;
  const watching = async (cli: number) => {
    while (trialRunning) {
      looks.push(...(await qemuFdTargets(cli)));
      await sleep(50);
    }
  };
  let watcher: Promise<void> = Promise.resolve();
  const r = await runTrialUnder(['bash', '-c', `exec ${opens}; exec "$@"`, 'bash'], 'four', 'disks: 4\nvariants: [system]\n', [], (cli) => {
    watcher = watching(cli);
  });
  trialRunning = false;
  await watcher;
  t.equal(r.exitCode, 0, r.all);
  t.equal(r.obs.outcome, 'ok');
  t.ok(looks.length >= 3, `QEMU's fds were looked at while it ran (${looks.length} times)`);
  // Not every look: one just after the exec sees QEMU before it opened anything.
  t.ok(looks.some((targets) => targets.length > 3), 'the looks saw QEMU with its own fds open');
  const leaked = looks.filter((targets) => targets.includes(marker));
  t.equal(leaked.length, 0, `looks at QEMU's fds that found the inherited file: ${leaked.length} of ${looks.length}`);
  t.ok((r.obs.resources.fdsPeak ?? 0) > 4 * 3, `fd peak recorded: ${r.obs.resources.fdsPeak}`);
});
