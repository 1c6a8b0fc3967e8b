/**
 * Errors that reach a user. Each kind maps to one exit code (DESIGN.md, "CLI shape"), and the
 * CLI prints only the message: user mistakes never show a stack trace.
 */
export type ErrorKind = 'input' | 'environment' | 'failure' | 'build';

const exitCodes: Record<ErrorKind, number> = {
  failure: 1,
  input: 2,
  environment: 3,
  // Not 1: a QEMU that does not build is neither a failed trial nor a regression verdict.
  build: 4,
};

export class EmuflockError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = 'EmuflockError';
  }

  get exitCode(): number {
    return exitCodes[this.kind];
  }
}

/** Bad case file, bad option, bad patch: exit 2. */
export function inputError(message: string): EmuflockError {
  return new EmuflockError('input', message);
}

/** Something the host lacks (a package, a permission): exit 3, and the message says what to install. */
export function environmentError(message: string): EmuflockError {
  return new EmuflockError('environment', message);
}

/** QEMU's configure or ninja failed on a source that was there: exit 4, with the log's tail. */
export function buildError(message: string): EmuflockError {
  return new EmuflockError('build', message);
}
