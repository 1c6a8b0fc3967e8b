import type { ChartSpec } from './charts/chart.js';

/** A report as a tree of sections and blocks; each format (formats/) renders the same tree. */
export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; caption: string; header: string[]; rows: string[][]; numeric: boolean[] }
  | { kind: 'code'; language: string; text: string }
  | { kind: 'chart'; chart: ChartSpec };

export interface Section {
  title: string;
  blocks: Block[];
  subsections?: Section[];
}

export interface ReportDocument {
  title: string;
  intro: Block[];
  sections: Section[];
}
