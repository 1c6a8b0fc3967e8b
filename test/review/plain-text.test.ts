import t from 'tap';
import { clipLines, shellLines, wrap } from '../../harness/review/plain-text.js';

t.test('wrap keeps words whole and lines within the width', async (t) => {
  const lines = wrap('a '.repeat(100) + 'end', 72, '> ');
  t.ok(lines.every((l) => l.length <= 72 && l.startsWith('> ')));
  t.equal(lines.join(' ').replace(/> /g, '').split(/\s+/).length, 101);
});

t.test('a long command is split with continuations that still paste', async (t) => {
  const lines = shellLines(['emuflock', 'review', '/a/very/long/path/'.repeat(3) + 'x.mbox', '--case', 'c.yaml', '--tested-by', 'Ada <a@b>'], '  ', 40);
  // Only the argument longer than the width may overflow, alone on its line.
  t.ok(lines.every((l) => l.length <= 40 || /^ +\/a\/very\S+ \\$/.test(l)), lines.join('\n'));
  t.ok(lines.slice(0, -1).every((l) => l.endsWith(' \\')));
  t.match(lines.join('\n'), /'Ada <a@b>'/);
});

t.test('output tails are cut, not wrapped', async (t) => {
  t.same(clipLines(['x'.repeat(100), 'short'], '  | ', 20), ['  | xxxxxxxxxxxxx...', '  | short']);
});
