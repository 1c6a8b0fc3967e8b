import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReport } from '../../harness/report/index.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { copyRun } from './helpers.js';

// The page's rendering in a real browser is checked in test/e2e/report-html-browser.test.ts.

t.test('report.html is self-contained: no script, no external reference, a CSP that forbids fetching', async (t) => {
  const { dir } = await writeReport(await openRun(await copyRun()), { formats: ['html'] });
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  t.notMatch(html, /<script\b/i);
  t.notMatch(html, /<(link|img|iframe|object|embed)\b/i);
  t.notMatch(html, /(src|href)\s*=\s*["'](?!#)/i, 'every href is an in-page fragment');
  t.notMatch(html, /@import|url\((?!#)/i, 'no CSS fetch');
  t.match(html, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  t.equal([...html.matchAll(/<figure id="[^"]+"><svg /g)].length, 3, 'three charts inline as SVG');
  t.notMatch(html, /<\?xml/, 'no XML declaration inside HTML');
});
