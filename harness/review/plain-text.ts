/** Mail is read in 80-column terminals and quoted with "> ": replies keep to 72 columns. */
export const mailWidth = 72;

/** Wraps prose at word boundaries; a word longer than the width stays whole on its own line. */
export function wrap(text: string, width = mailWidth, indent = ''): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out;
}

/** Lines of program output, cut (not wrapped) at the width: a stderr tail keeps its line structure. */
export function clipLines(lines: string[], prefix: string, width = mailWidth): string[] {
  return lines.map((l) => {
    const full = prefix + l.replace(/\t/g, '    ').trimEnd();
    return full.length > width ? `${full.slice(0, width - 3)}...` : full;
  });
}

/** A shell command split with " \" continuations so that every line fits and it still pastes. */
export function shellLines(args: string[], indent = '  ', width = mailWidth): string[] {
  const out: string[] = [];
  let line = '';
  for (const arg of args.map(shellQuote)) {
    if (line && indent.length + line.length + 1 + arg.length + 2 > width) {
      out.push(`${indent}${line} \\`);
      line = `  ${arg}`;
    } else line = line ? `${line} ${arg}` : arg;
  }
  if (line) out.push(indent + line);
  return out;
}

export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
