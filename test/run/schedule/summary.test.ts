import t from 'tap';
import { runSummary } from '../../../harness/run/schedule/summary.js';
import { observation } from '../../compare/synthetic.js';

t.test('a trial that timed out in shutdown, after the guest saw every disk, shows the phases it measured', async (t) => {
  const timedOut = { ...observation({ totalMs: 3100, outcome: 'timeout' }), error: { message: 'shutdown took longer than 1 s', phase: 'shutdown' as const } };
  timedOut.phases = { qemuInitMs: 110, guestBootMs: 2860, diskProbeMs: 130, shutdownMs: null, totalMs: 3100 };
  const lines = runSummary([timedOut]).split('\n');
  t.match(lines[2], /^c\s+disks=8\s+system\s+0\/1\s+3\.10\*\s+0\.11\*\s+2\.86\*\s+0\.13\*\s+-\s+8\*\s+.*1 timeout$/, 'the disks it saw, too');
  t.match(lines.at(-1), /^\* measured by trials that did not end ok/);
});

t.test('ok trials alone give the medians where there are any; no footnote then', async (t) => {
  const ok = observation({ totalMs: 1000 });
  const failed = observation({ totalMs: 9000, outcome: 'timeout', rep: 1 });
  const out = runSummary([ok, failed]);
  t.match(out.split('\n')[2], /^c\s+disks=8\s+system\s+1\/2\s+1\.00\s+1\.00/);
  t.notMatch(out, /\*/);
});

t.test('disks seen: the ok trials\' count; a guest that saw fewer disks and failed does not hide it when alone', async (t) => {
  const ok = observation({ totalMs: 1000 });
  const short = { ...observation({ totalMs: 9000, outcome: 'guest-failed', rep: 1 }), guest: { uptimeAtInitS: 1, uptimeAtReadyS: 2, disksSeen: 7 } };
  t.match(runSummary([ok, short]).split('\n')[2], /\s8\s+\S+\s+1 guest-failed$/, 'ok trials decide the column');
  t.match(runSummary([short]).split('\n')[2], /\s7\*\s+\S+\s+1 guest-failed$/, 'a failed trial alone shows what it saw, marked');
});
