/**
 * report.md: the document as GitHub/GitLab-flavoured Markdown, for a merge request or a mailing
 * list. Charts are linked as the PNG files beside it, which every Markdown viewer shows.
 */
import { chartFiles } from '../chart-files.js';
import type { Block, Section } from '../document.js';
import type { DocumentFormat } from './format.js';

export const markdownFormat: DocumentFormat = {
  name: 'markdown',
  async write(ctx) {
    const doc = ctx.document;
    const out = [`# ${inline(doc.title)}`, '', ...doc.intro.flatMap(block), ...doc.sections.flatMap((s) => section(s, 2))];
    await ctx.writeFile('report.md', out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n');
    return ['report.md'];
  },
};

function section(s: Section, level: number): string[] {
  return [`${'#'.repeat(level)} ${inline(s.title)}`, '', ...s.blocks.flatMap(block), ...(s.subsections ?? []).flatMap((sub) => section(sub, level + 1))];
}

function block(b: Block): string[] {
  switch (b.kind) {
    case 'paragraph':
      return [inline(b.text), ''];
    case 'list':
      return [...b.items.map((i) => `- ${inline(i)}`), ''];
    case 'code': {
      // A fence longer than any backtick run inside, so a case file cannot close it early.
      const fence = '`'.repeat(Math.max(3, ...[...b.text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      return [`${fence}${b.language}`, b.text, fence, ''];
    }
    case 'table': {
      const cell = (s: string) => inline(s).replace(/\|/g, '\\|');
      const lines = [
        `| ${b.header.map(cell).join(' | ')} |`,
        `| ${b.numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
        ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
      ];
      return [`*${inline(b.caption)}*`, '', ...lines, ''];
    }
    case 'chart': {
      const files = chartFiles(b.chart.id);
      return [`![${inline(b.chart.title)}](${files.png})`, '', `[1920×1080 for slides](${files.talkPng}) · [SVG](${files.svg})`, ''];
    }
  }
}

/**
 * Text as text: characters Markdown would read as markup are escaped. Not `_` inside a word
 * (bdrv_drain_all stays readable; GFM does not emphasise there) and not backticks: case
 * descriptions use them for code, as their authors meant.
 */
function inline(s: string): string {
  return s
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\*<>])/g, '\\$1')
    .replace(/(^|\W)_|_(?=\W|$)/g, (m) => m.replace('_', '\\_'));
}
