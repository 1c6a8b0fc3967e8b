/**
 * Draws a chart with chart.js on node-canvas, as PNG or SVG. Renderers are kept per size and
 * kind because each one loads its own copy of chart.js.
 */
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { createRequire } from 'node:module';
import type { ChartSpec } from './charts/chart.js';
import { finishSvg } from './svg-document.js';
import { defaultTheme, type Theme } from './theme.js';

const renderers = new Map<string, ChartJSNodeCanvas>();

// Loaded when the first chart is drawn: every command reaches this module through the report,
// and node-canvas (a native module) is a tenth of a second of each emuflock start-up.
const require = createRequire(import.meta.url);
const canvasRenderer = () => (require('chartjs-node-canvas') as typeof import('chartjs-node-canvas')).ChartJSNodeCanvas;

function renderer(theme: Theme, kind: 'png' | 'svg'): ChartJSNodeCanvas {
  const key = `${theme.width}x${theme.height}-${kind}`;
  let r = renderers.get(key);
  if (!r) {
    r = new (canvasRenderer())({ width: theme.width, height: theme.height, ...(kind === 'svg' ? { type: 'svg' as const } : {}) });
    renderers.set(key, r);
  }
  return r;
}

/**
 * A white page under the chart. Not chartjs-node-canvas's backgroundColour option: on an SVG
 * canvas that turns the whole chart into one embedded bitmap.
 */
const whitePage: Plugin = {
  id: 'emuflockWhitePage',
  beforeDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

function configFor(spec: ChartSpec, theme: Theme): ChartConfiguration {
  const config = spec.config(theme);
  return { ...config, plugins: [whitePage, ...(config.plugins ?? [])] } as unknown as ChartConfiguration;
}

export function renderPng(spec: ChartSpec, theme: Theme): Buffer {
  return renderer(theme, 'png').renderToBufferSync(configFor(spec, theme), 'image/png');
}

/**
 * Synchronous on purpose: chartjs-node-canvas's promise never settles for an SVG canvas.
 * The default theme's size: an SVG is scaled by whatever shows it.
 */
export function renderSvg(spec: ChartSpec, theme: Theme = defaultTheme): string {
  const raw = renderer(theme, 'svg')
    .renderToBufferSync(configFor(spec, theme), 'image/svg+xml' as 'image/png')
    .toString('utf8');
  return finishSvg(raw, { id: spec.id, title: spec.title, description: spec.description, width: theme.width, height: theme.height });
}
