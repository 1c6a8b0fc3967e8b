/**
 * A value from the user (a file name, an option's argument, a line of a file) as an error
 * line may quote it: control and other non-printable characters escaped (\n, \x00, \u200b),
 * and cut to `max` characters, saying how long it was. An error stays one readable line
 * whatever was given, binary or 100 KB.
 */
export function printable(value: string, max = 80): string {
  const chars = [...value];
  const shown = chars.slice(0, max).map(escapeChar).join('');
  return chars.length > max ? `${shown}… (${chars.length} characters)` : shown;
}

const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  if (named[c]) return named[c]!;
  // Controls, lone surrogates, format characters (zero-width, bidi overrides), private use, unassigned.
  if (/[\p{Cc}\p{Cs}\p{Cf}\p{Co}\p{Cn}]/u.test(c)) {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  }
  return c;
}

/**
 * The last line of defence for whole messages: every line escaped and cut (a message may hold
 * several lines on purpose, one per problem), and at most `maxLines` of them.
 */
export function printableMessage(message: string, maxLine = 400, maxLines = 40): string {
  const lines = message.split('\n');
  const kept = lines.slice(0, maxLines).map((l) => printable(l, maxLine));
  if (lines.length > maxLines) kept.push(`… (${lines.length - maxLines} more lines)`);
  return kept.join('\n');
}
