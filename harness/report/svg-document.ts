/**
 * Turns cairo's SVG into one that can stand alone and be inlined. Cairo names its clip paths
 * clip1, clip2... in every file, so two charts inlined in one HTML page would clip each other's
 * lines: every id gets the chart's id as a prefix. Cairo also outlines text as paths, so the
 * chart's title and description are added as <title> and <desc>, for search and screen readers.
 */
import { escapeXml } from './xml.js';

export interface SvgLabel {
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
}

export function finishSvg(raw: string, label: SvgLabel): string {
  const prefix = label.id.replace(/[^A-Za-z0-9_-]/g, '_');
  const renamed = raw
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/\b(xlink:href|href)="#([^"]+)"/g, (_, attr: string, id: string) => `${attr}="#${prefix}-${id}"`);
  const open = renamed.match(/<svg\b[^>]*>/);
  if (!open) throw new Error(`${label.id}: the renderer produced no <svg> element`);
  // Pixel sizes instead of cairo's points: a browser would otherwise draw the chart 4/3 larger.
  const tag = open[0]
    .replace(/\swidth="[^"]*"/, ` width="${label.width}"`)
    .replace(/\sheight="[^"]*"/, ` height="${label.height}"`)
    .replace(/>$/, ` role="img" aria-labelledby="${prefix}-title ${prefix}-desc">`);
  const head = `\n<title id="${prefix}-title">${escapeXml(label.title)}</title>\n<desc id="${prefix}-desc">${escapeXml(label.description)}</desc>`;
  return renamed.replace(open[0], tag + head);
}
