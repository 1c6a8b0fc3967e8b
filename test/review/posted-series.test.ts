import t from 'tap';
import { parseMbox } from '../../harness/review/mail-message.js';
import { parseSubject, patchLabel } from '../../harness/review/patch-subject.js';
import { selectSeries } from '../../harness/review/posted-series.js';

const diff = (file: string) => `---\n ${file} | 1 +\n\ndiff --git a/${file} b/${file}\nindex 1111111..2222222 100644\n--- a/${file}\n+++ b/${file}\n@@ -1 +1,2 @@\n x\n+y\n-- \n2.39.5\n`;
const mail = (subject: string, body: string, extra = '') =>
  `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: Ada <ada@example.org>\nDate: Thu, 26 Nov 2026 05:21:46 +0000\nSubject: ${subject}\n${extra}\n${body}\n`;

t.test('subjects: versions, RFC, numbering, replies', async (t) => {
  t.match(parseSubject('[PATCH v2 3/7] block: x'), { reply: false, patch: true, version: 2, index: 3, total: 7, title: 'block: x' });
  t.match(parseSubject('[RFC PATCH 1/2] a'), { rfc: true, index: 1, total: 2, title: 'a' });
  t.match(parseSubject('Re: [PATCH 0/3] cover'), { reply: true, index: 0 });
  t.match(parseSubject('[PATCH] single'), { patch: true, index: undefined, title: 'single' });
  t.match(parseSubject('[qemu-devel] [PATCH v3 02/10] y'), { version: 3, index: 2, total: 10, title: 'y' });
  t.equal(patchLabel({ rfc: false, version: 2, index: 3, total: 7 }), '[PATCH v2 3/7]');
});

t.test('headers: folded and RFC 2047-encoded subjects are decoded', async (t) => {
  const [m] = parseMbox(mail('=?UTF-8?q?=5BPATCH=5D=20bl=C3=B6ck=3A?=\n =?UTF-8?q?_fix?=', diff('a.c')), 'x.mbox');
  t.equal(m!.headers.get('subject'), '[PATCH] blöck: fix');
  t.equal(m!.where, 'x.mbox:1');
});

t.test('a shuffled mbox with a cover letter and replies: only the patches, in n/N order', async (t) => {
  const text = [
    mail('Re: [PATCH 2/3] b', '> diff --git a/b.c b/b.c\nLooks good.'),
    mail('[PATCH 3/3] c', diff('c.c')),
    mail('[PATCH 0/3] the series', 'Cover letter.'),
    mail('[PATCH 1/3] a', diff('a.c')),
    mail('Re: [PATCH 0/3] the series', 'Thanks.'),
    mail('[PATCH 2/3] b', diff('b.c')),
  ].join('\n');
  const s = selectSeries(parseMbox(text, 's.mbox'), 's.mbox');
  t.same(
    s.patches.map((p) => p.tags.title),
    ['a', 'b', 'c'],
  );
  t.equal(s.subject, '[PATCH 0/3] the series');
  t.same(
    s.skipped.map((x) => x.why),
    ['a reply', 'a reply'],
  );
});

t.test('the newest version wins; older ones are skipped by name', async (t) => {
  const text = [mail('[PATCH 1/1] old', diff('a.c')), mail('[PATCH v2 1/1] new', diff('a.c'))].join('\n');
  const s = selectSeries(parseMbox(text, 's.mbox'), 's.mbox');
  t.same(
    s.patches.map((p) => p.tags.title),
    ['new'],
  );
  t.match(s.skipped[0]!.why, /version 1 \(v2 is newer\)/);
});

t.test('an incomplete series names what is missing', async (t) => {
  const text = [mail('[PATCH v2 1/4] a', diff('a.c')), mail('[PATCH v2 4/4] d', diff('d.c'))].join('\n');
  t.throws(() => selectSeries(parseMbox(text, 's.mbox'), 's.mbox'), {
    kind: 'input',
    message: 's.mbox: the series is incomplete: [PATCH v2 2/4], [PATCH v2 3/4] missing (have 1, 4 of 4)',
  });
});

t.test('duplicates, mixed lengths and patches without a diff are refused with where they are', async (t) => {
  const dup = [mail('[PATCH 1/2] a', diff('a.c')), mail('[PATCH 2/2] b', diff('b.c')), mail('[PATCH 2/2] b', diff('b.c'))].join('\n');
  t.throws(() => selectSeries(parseMbox(dup, 'd.mbox'), 'd.mbox'), { kind: 'input', message: /d\.mbox:\d+: \[PATCH 2\/2\] appears twice \(also at d\.mbox:\d+\)/ });
  const mixed = [mail('[PATCH 1/2] a', diff('a.c')), mail('[PATCH 2/3] b', diff('b.c'))].join('\n');
  t.throws(() => selectSeries(parseMbox(mixed, 'm.mbox'), 'm.mbox'), { kind: 'input', message: /disagree on the series length/ });
  const empty = mail('[PATCH 1/1] a', 'no diff here');
  t.throws(() => selectSeries(parseMbox(empty, 'e.mbox'), 'e.mbox'), { kind: 'input', message: 'e.mbox:1: [PATCH 1/1] "a" carries no diff' });
  const none = mail('Re: [PATCH 1/1] a', 'ok');
  t.throws(() => selectSeries(parseMbox(none, 'n.mbox'), 'n.mbox'), { kind: 'input', message: 'n.mbox: no patch in it (1 message skipped: a reply)' });
});

t.test('malformed mail: file, line and what was expected', async (t) => {
  t.throws(() => parseMbox('hello world\n', 'x.mbox'), { kind: 'input', message: /^x\.mbox:1: not a mail: expected an mbox "From " line/ });
  t.throws(() => parseMbox('', 'x.mbox'), { kind: 'input', message: /^x\.mbox: empty/ });
  const badHeader = 'From 0 Mon Sep 17 00:00:00 2001\nFrom: a\nthis is not a header\nSubject: x\n\nbody\n';
  t.throws(() => parseMbox(badHeader, 'x.mbox'), { kind: 'input', message: 'x.mbox:3: malformed mail header (expected "Name: value", found "this is not a header")' });
  const noSubject = 'From 0 Mon Sep 17 00:00:00 2001\nFrom: a\n\nbody\n';
  t.throws(() => parseMbox(noSubject, 'x.mbox'), { kind: 'input', message: 'x.mbox:2: the message has no Subject: header' });
});

t.test('mboxrd escaping is undone for git am', async (t) => {
  const [m] = parseMbox(mail('[PATCH] a', `>From the start\n${diff('a.c')}`), 'x.mbox');
  t.match(m!.raw, /\nFrom the start\n/);
});
