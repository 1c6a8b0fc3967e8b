/** Every chart as a vector SVG, for print and for slides that scale. */
import { chartFiles } from '../chart-files.js';
import type { DocumentFormat } from './format.js';

export const svgFormat: DocumentFormat = {
  name: 'svg',
  async write(ctx) {
    const written: string[] = [];
    for (const chart of ctx.charts) {
      const name = chartFiles(chart.id).svg;
      await ctx.writeFile(name, ctx.svg(chart));
      written.push(name);
    }
    return written;
  },
};
