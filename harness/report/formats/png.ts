/** Every chart as PNG in both themes: 1200×800 for reading, 1920×1080 for slides. */
import { chartFiles } from '../chart-files.js';
import { renderPng } from '../render.js';
import { defaultTheme, talkTheme } from '../theme.js';
import type { DocumentFormat } from './format.js';

export const pngFormat: DocumentFormat = {
  name: 'png',
  async write(ctx) {
    const written: string[] = [];
    for (const chart of ctx.charts) {
      const files = chartFiles(chart.id);
      for (const [name, theme] of [
        [files.png, defaultTheme],
        [files.talkPng, talkTheme],
      ] as const) {
        await ctx.writeFile(name, renderPng(chart, theme));
        written.push(name);
      }
    }
    return written;
  },
};
