/**
 * Every command line emuflock writes for a shell to run or a person to paste (CI job scripts,
 * a report's "How to reproduce", the resume hint) goes through here: each argument one word,
 * whatever it holds (spaces, quotes, `$(...)`, newlines), in POSIX sh.
 */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}
