/**
 * Two looks for the same chart. "talk" is for a projector at the back of a room: 16:9, fonts
 * readable from 15 m, thick lines, pure black text. "default" is for reading a report on a
 * screen. The SVG uses the default look: it is scaled by whoever embeds it.
 */
export interface Theme {
  name: 'default' | 'talk';
  width: number;
  height: number;
  font: { family: string; body: number; title: number; subtitle: number; axisTitle: number };
  text: string;
  grid: string;
  lineWidth: number;
  pointRadius: number;
  padding: number;
}

// DejaVu Sans is what Debian installs with cairo; naming it keeps PNG and SVG identical.
const family = 'DejaVu Sans, sans-serif';

export const defaultTheme: Theme = {
  name: 'default',
  width: 1200,
  height: 800,
  font: { family, body: 15, title: 22, subtitle: 15, axisTitle: 16 },
  text: '#222222',
  grid: 'rgba(0, 0, 0, 0.12)',
  lineWidth: 2.5,
  pointRadius: 4,
  padding: 16,
};

export const talkTheme: Theme = {
  name: 'talk',
  width: 1920,
  height: 1080,
  font: { family, body: 26, title: 40, subtitle: 24, axisTitle: 28 },
  text: '#000000',
  grid: 'rgba(0, 0, 0, 0.2)',
  lineWidth: 5,
  pointRadius: 8,
  padding: 28,
};

export const themes: readonly Theme[] = [defaultTheme, talkTheme];
