import t from 'tap';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '../../harness/report/index.js';
import { openRun } from '../../harness/journal/opened-run.js';
import { tempDir } from '../helpers.js';
import { chromium, chromiumPath, copyRun, inspectPng, seedDrainVariants } from '../report/helpers.js';

// report.html in headless Chromium (a few seconds per page load): what test/report/html.test.ts
// checks in the text, seen by a real browser.

// Records every error the page could produce (script errors, failed loads, CSP refusals,
// console.error) into an attribute of <html>, where --dump-dom can read it.
const recorder = `<script>
window.__errors = [];
addEventListener('error', (e) => __errors.push('error: ' + (e.message || (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 120) : 'load failed'))), true);
addEventListener('securitypolicyviolation', (e) => __errors.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));
const originalError = console.error;
console.error = (...args) => { __errors.push('console: ' + args.join(' ')); originalError(...args); };
addEventListener('load', () => {
  document.documentElement.setAttribute('data-errors', JSON.stringify(__errors));
  document.documentElement.setAttribute('data-svgs', String(document.querySelectorAll('figure svg').length));
  document.documentElement.setAttribute('data-tables', String(document.querySelectorAll('table').length));
});
</script>`;

/** Loads a copy of the page with the recorder and returns what it recorded, and Chromium's output. */
async function probe(html: string) {
  const file = join(await tempDir('emuflock-html-'), 'probe.html');
  // The CSP is widened only by the inline script the recorder needs.
  await writeFile(file, html.replace(`default-src 'none';`, `default-src 'none'; script-src 'unsafe-inline';`).replace('<head>', `<head>\n${recorder}`));
  const dump = await chromium(['--dump-dom', '--virtual-time-budget=5000', pathToFileURL(file).href]);
  const errors = JSON.parse(dump.stdout.match(/data-errors="([^"]*)"/)?.[1]?.replace(/&quot;/g, '"') ?? 'null') as string[] | null;
  return { dump, errors };
}

const noChromium = existsSync(chromiumPath) ? false : `${chromiumPath} not installed (Debian package chromium)`;

t.test('the probe itself catches a script error and a refused external fetch', { skip: noChromium }, async (t) => {
  const { dir } = await writeReport(await openRun(await copyRun()), { formats: ['html'] });
  const html = (await readFile(join(dir, 'report.html'), 'utf8')).replace('</body>', '<img src="https://example.invalid/x.png"><script>notDefined()</script></body>');
  const { errors } = await probe(html);
  t.ok(errors && errors.some((e) => e.startsWith('csp: img-src')), JSON.stringify(errors));
  t.ok(errors && errors.some((e) => /notDefined/.test(e)), JSON.stringify(errors));
});

t.test('report.html in headless Chromium: renders, no console or load errors, a page that is not blank', { skip: noChromium }, async (t) => {
  const { dir } = await writeReport(await openRun(await copyRun()), { formats: ['html'] });
  const { dump, errors } = await probe(await readFile(join(dir, 'report.html'), 'utf8'));
  t.equal(dump.exitCode, 0, `chromium --dump-dom exit status${dump.exitCode ? `: ${dump.stderr.slice(-1500)}` : ''}`);
  t.same(errors, [], 'no errors recorded by the page');
  t.match(dump.stdout, /data-svgs="3"/, 'three SVG charts in the DOM');
  t.match(dump.stdout, /data-tables="([6-9]|\d\d)"/, 'the tables are there');
  t.notMatch(dump.stderr, /CONSOLE|Uncaught|Refused to/i, 'nothing on the console');
  for (const v of seedDrainVariants) t.match(dump.stdout, `<td>${v}</td>`);

  const shot = join(dir, 'screenshot.png');
  const run = await chromium([`--screenshot=${shot}`, '--window-size=1400,2000', '--hide-scrollbars', pathToFileURL(join(dir, 'report.html')).href]);
  t.equal(run.exitCode, 0, `chromium --screenshot exit status${run.exitCode ? `: ${run.stderr.slice(-1500)}` : ''}`);
  t.notMatch(run.stderr, /CONSOLE|Uncaught|Refused to/i, 'the real page logs nothing either');
  const png = await inspectPng(shot);
  t.same([png.width, png.height], [1400, 2000]);
  t.ok(png.colours > 50, `${png.colours} distinct colours (text, chart lines, bands)`);
  t.ok(png.inked > 0.03, `${(png.inked * 100).toFixed(1)}% of the screenshot is not background`);
});
