/**
 * One output format of a report (hyperfine's `src/export/` pattern): each format is one file
 * implementing this interface, listed once in formats/index.ts, and reads everything it needs
 * from the context; no format knows any other.
 */
import type { ChartSpec } from '../charts/chart.js';
import type { ReportDocument } from '../document.js';
import type { ReportModel } from '../model.js';

/** What a format that renders the document alone needs: any document, a run's or a history's. */
export interface DocumentContext {
  document: ReportDocument;
  charts: readonly ChartSpec[];
  /** Chart as standalone SVG text; rendered once however many formats ask. */
  svg(chart: ChartSpec): string;
  /** Writes one file of the report; `name` is relative to the report directory. */
  writeFile(name: string, content: string | Buffer): Promise<void>;
}

export interface ReportContext extends DocumentContext {
  model: ReportModel;
}

/** A format that needs only the document and its charts (png, svg, markdown, html). */
export interface DocumentFormat {
  name: string;
  write(ctx: DocumentContext): Promise<string[]>;
}

export interface ReportFormat {
  name: string;
  /** Writes the format's files; returns their names, relative to the report directory. */
  write(ctx: ReportContext): Promise<string[]>;
}
