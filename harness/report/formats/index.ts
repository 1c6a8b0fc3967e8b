/** Every output format of a report. A new format is one new file and one entry here. */
import type { ReportFormat } from './format.js';
import { htmlFormat } from './html.js';
import { junitFormat } from './junit.js';
import { markdownFormat } from './markdown.js';
import { pngFormat } from './png.js';
import { svgFormat } from './svg.js';

export const formats: readonly ReportFormat[] = [pngFormat, svgFormat, markdownFormat, htmlFormat, junitFormat];
