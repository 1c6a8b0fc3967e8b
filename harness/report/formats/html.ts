/**
 * report.html: one page that works offline and forever: no script, no external font, style
 * sheet or image, charts inline as SVG. The Content-Security-Policy makes a browser refuse
 * anything external, so a reference that slipped in shows as an error instead of a silent fetch.
 */
import type { Block, Section } from '../document.js';
import { escapeXml as esc } from '../xml.js';
import type { DocumentContext, DocumentFormat } from './format.js';

const style = `
body { font-family: 'DejaVu Sans', system-ui, sans-serif; color: #1a1a1a; max-width: 1240px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.7em; } h2 { border-bottom: 2px solid #ccc; padding-bottom: .2em; margin-top: 2em; } h3 { margin-top: 1.5em; }
table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: .9em; }
caption { caption-side: top; text-align: left; font-style: italic; padding-bottom: .3em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; vertical-align: top; }
th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.verdict-SLOWER { background: #f6d5c8; font-weight: bold; } td.verdict-FASTER { background: #cfe6f5; font-weight: bold; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .7em; overflow-x: auto; font-size: .85em; }
figure { margin: 1em 0 2em; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .85em; color: #444; }
`;

export const htmlFormat: DocumentFormat = {
  name: 'html',
  async write(ctx) {
    const doc = ctx.document;
    const page = [
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${esc(doc.title)}</title>`,
      `<style>${style}</style>`,
      '</head>',
      '<body>',
      `<h1>${esc(doc.title)}</h1>`,
      ...doc.intro.map((b) => block(b, ctx)),
      ...doc.sections.map((s) => section(s, 2, ctx)),
      '</body>',
      '</html>',
    ];
    await ctx.writeFile('report.html', page.join('\n') + '\n');
    return ['report.html'];
  },
};

function section(s: Section, level: number, ctx: DocumentContext): string {
  return [`<section>`, `<h${level}>${esc(s.title)}</h${level}>`, ...s.blocks.map((b) => block(b, ctx)), ...(s.subsections ?? []).map((sub) => section(sub, level + 1, ctx)), '</section>'].join('\n');
}

function block(b: Block, ctx: DocumentContext): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${esc(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
    case 'code':
      return `<pre><code class="language-${esc(b.language)}">${esc(b.text)}</code></pre>`;
    case 'table': {
      const verdictColumn = b.header.indexOf('verdict');
      const head = b.header.every((h) => h === '') ? '' : `<thead><tr>${b.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`;
      const rows = b.rows.map(
        (r) =>
          `<tr>${r
            .map((cell, i) => {
              const classes = [b.numeric[i] ? 'num' : '', i === verdictColumn ? `verdict-${cell}` : ''].filter(Boolean).join(' ');
              return `<td${classes ? ` class="${esc(classes)}"` : ''}>${esc(cell)}</td>`;
            })
            .join('')}</tr>`,
      );
      return `<table><caption>${esc(b.caption)}</caption>${head}<tbody>${rows.join('\n')}</tbody></table>`;
    }
    case 'chart':
      // The XML declaration is not allowed inside HTML; the rest of the SVG is.
      return `<figure id="${esc(b.chart.id)}">${ctx.svg(b.chart).replace(/^<\?xml[^>]*\?>\s*/, '')}<figcaption>${esc(b.chart.description)}</figcaption></figure>`;
  }
}
