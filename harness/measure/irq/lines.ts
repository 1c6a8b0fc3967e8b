/**
 * Splits text that arrives in chunks into lines, holding at most one partial line, itself cut at
 * `maxLineChars`. readline would hold a whole line however long it is; a trace log or a stderr
 * stream that never ends a line (a binary file given by mistake, a runaway message) must not
 * grow the harness's memory, and the lines that matter here are all short: the event name and
 * the first arguments are at the start of a line, so a cut line is still classified correctly.
 */
export class LineSplitter {
  private partial = '';
  private partialCut = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineChars = 4096,
  ) {}

  write(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      this.finish(chunk.slice(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.slice(start));
  }

  /** The last line, when the text does not end with a newline (a log cut by a killed QEMU). */
  end(): void {
    if (this.partial.length > 0 || this.partialCut) this.finish('');
  }

  private keep(piece: string): void {
    if (this.partialCut) return;
    const room = this.maxLineChars - this.partial.length;
    if (piece.length > room) {
      this.partial += piece.slice(0, room);
      this.partialCut = true;
    } else {
      this.partial += piece;
    }
  }

  private finish(rest: string): void {
    let line: string;
    if (this.partial.length === 0 && !this.partialCut) {
      line = rest.length > this.maxLineChars ? rest.slice(0, this.maxLineChars) : rest;
    } else {
      this.keep(rest);
      line = this.partial;
      this.partial = '';
      this.partialCut = false;
    }
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
