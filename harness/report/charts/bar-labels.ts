/**
 * Names each stacked bar above its top, in its variant's colour. Bars are grouped by disk count
 * and stacked by phase, so the legend is taken by the phases; without these labels a viewer
 * would have to count bars to know which variant is which. A name wider than its bar is turned
 * upright rather than allowed to run into the next bar's name.
 */
import type { Chart, Plugin } from 'chart.js';
import type { Theme } from '../theme.js';
import { font } from './furniture.js';

export interface StackLabel {
  /** Index of the topmost dataset of the stack. */
  topDataset: number;
  text: string;
  colour: string;
}

export function barLabels(theme: Theme, stacks: StackLabel[]): Plugin {
  return {
    id: 'emuflockBarLabels',
    afterDatasetsDraw(chart: Chart) {
      const ctx = chart.ctx;
      const f = font(theme, theme.font.body, 'bold');
      ctx.save();
      ctx.font = `${f.weight} ${f.size}px ${f.family}`;
      for (const s of stacks) {
        const meta = chart.getDatasetMeta(s.topDataset);
        meta.data.forEach((bar, i) => {
          const values = chart.data.datasets.filter((d) => (d as { stack?: string }).stack === (chart.data.datasets[s.topDataset] as { stack?: string }).stack);
          if (values.every((d) => d.data[i] === null || d.data[i] === undefined)) return;
          const { x, y, width } = bar.getProps(['x', 'y', 'width'], true) as { x: number; y: number; width: number };
          const textWidth = ctx.measureText(s.text).width;
          const gap = theme.font.body * 0.4;
          ctx.fillStyle = s.colour;
          if (textWidth <= width * 1.1) {
            ctx.textAlign = 'center';
            ctx.textBaseline = 'bottom';
            ctx.fillText(s.text, x, y - gap);
          } else {
            ctx.save();
            ctx.translate(x, y - gap);
            ctx.rotate(-Math.PI / 2);
            ctx.textAlign = 'left';
            ctx.textBaseline = 'middle';
            ctx.fillText(s.text, 0, 0);
            ctx.restore();
          }
        });
      }
      ctx.restore();
    },
  };
}
