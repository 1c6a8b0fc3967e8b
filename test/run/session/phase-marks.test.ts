import t from 'tap';
import { PhaseMarks } from '../../../harness/run/session/phase-marks.js';

// Phases come from instants; a profile is cut by the same instants. A trial that ends at QEMU
// init must have no guest phase in either: a perf sample taken while QEMU quits belongs to
// shutdown alone, not also to a guest boot that never began.
function marks(endedAtInit: boolean): PhaseMarks {
  const m = new PhaseMarks();
  m.spawn = 100;
  m.initDone = 400;
  if (endedAtInit) {
    m.endedAtInit = true;
    m.ready = 400;
  } else {
    m.initMarker = 2400;
    m.ready = 3000;
  }
  m.exit = m.ready + 50;
  return m;
}

t.test('a booted guest: init, boot, probe and shutdown, end to end', async (t) => {
  const m = marks(false);
  t.same(m.phases(), { qemuInitMs: 300, guestBootMs: 2000, diskProbeMs: 600, shutdownMs: 50, totalMs: 2900 });
  t.same(
    m.windows(9999).map((w) => w.phase),
    ['qemuInit', 'guestBoot', 'diskProbe', 'shutdown'],
  );
});

t.test('a trial that ends at QEMU init: no guest phase, total is init, the quit is shutdown', async (t) => {
  const m = marks(true);
  t.same(m.phases(), { qemuInitMs: 300, guestBootMs: null, diskProbeMs: null, shutdownMs: 50, totalMs: 300 });
  t.same(m.windows(9999), [
    { phase: 'qemuInit', startMs: 100, endMs: 400 },
    { phase: 'shutdown', startMs: 400, endMs: 450 },
  ]);
});

t.test('a trial stopped in guest boot: the phase it was in ends where it was stopped', async (t) => {
  const m = new PhaseMarks();
  m.spawn = 0;
  m.initDone = 500;
  t.same(m.phases(), { qemuInitMs: 500, guestBootMs: null, diskProbeMs: null, shutdownMs: null, totalMs: null });
  t.same(m.windows(800).at(-1), { phase: 'guestBoot', startMs: 500, endMs: 800 });
});

t.test('the pause to sample QEMU between init and cont counts in no phase, nor in the total', async (t) => {
  const m = marks(false);
  m.resumed = 430;
  t.same(m.phases(), { qemuInitMs: 300, guestBootMs: 1970, diskProbeMs: 600, shutdownMs: 50, totalMs: 2870 });
  t.same(m.windows(9999).slice(0, 2), [
    { phase: 'qemuInit', startMs: 100, endMs: 400 },
    { phase: 'guestBoot', startMs: 430, endMs: 2400 },
  ]);
});
