import t from 'tap';
import { guestGiveUpS } from '../../../harness/run/session/guest-session.js';

// The guest's own give-up must come before the harness's timeout with room for its reason to
// travel: 10% of a long timeout, at least 3 s of a short one, never below 1 s.
t.test('the guest gives up 10% before the disk-probe timeout, at least 3 s before', async (t) => {
  t.equal(guestGiveUpS(600), 540);
  t.equal(guestGiveUpS(20), 17);
  t.equal(guestGiveUpS(8), 5);
  t.equal(guestGiveUpS(8.5), 5);
  t.equal(guestGiveUpS(3), 1);
});
