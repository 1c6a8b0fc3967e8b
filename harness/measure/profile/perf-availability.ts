import { execa } from 'execa';

/**
 * Whether `perf record` works here, tried for real (it needs the package, a kernel that
 * allows it and `perf_event_paranoid` low enough): a one-line reason when it does not.
 */
export async function perfUnavailable(): Promise<string | undefined> {
  const r = await execa('perf', ['record', '-q', '-e', 'cpu-clock', '-o', '/dev/null', '--', 'true'], { reject: false, all: true });
  if ((r as { code?: string }).code === 'ENOENT') return 'perf is not installed (Debian package linux-perf)';
  if (r.exitCode === 0) return undefined;
  const paranoid = await execa('cat', ['/proc/sys/kernel/perf_event_paranoid'], { reject: false });
  const first = String(r.all ?? '').split('\n').find((l) => l.trim()) ?? `exit ${r.exitCode}`;
  return `perf record is not permitted here (kernel.perf_event_paranoid=${paranoid.stdout.trim() || '?'}): ${first.trim()}`;
}
