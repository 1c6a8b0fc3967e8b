/** What every command's output goes through. */
export interface CliIo {
  /** Progress and warnings: stderr, so that stdout stays the command's result. */
  log: (line: string) => void;
  /** A path as the user should read it (relative to the working directory when inside it). */
  shown: (path: string) => string;
}
