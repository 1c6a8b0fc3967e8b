import { LineCounter, parseDocument, isMap, isSeq, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { inputError } from './errors.js';
import { readBounded } from './bounded-read.js';
import { displayPath } from './display-path.js';

/**
 * YAML input validated by a zod schema, with every problem reported as
 * `file:line:col: field: what`, all at once, so a user fixes a file in one pass.
 * `what` names the kind of file in the message for a document that is not a mapping.
 */
export function parseYaml<S extends z.ZodType>(text: string, shown: string, schema: S, what: string): z.output<S> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // Only the first: later YAML errors are usually echoes of it.
    const err = doc.errors[0]!;
    const at = lines.linePos(err.pos[0]);
    // The parser's own words name its API ("use YAML.parseAllDocuments()"): said in the file's terms.
    const why =
      err.code === 'MULTIPLE_DOCS' ? 'more than one document (a line starting ---); the file holds one'
      : /Maximum call stack/.test(err.message) ? 'nested too deeply (lists or mappings thousands of levels down)'
      : firstLine(err.message).replace(/ at line \d+, column \d+:?$/, '');
    throw inputError(`${shown}:${at.line}:${at.col}: ${/\.json$/i.test(shown) ? 'JSON' : 'YAML'} syntax error: ${why}`);
  }
  // A key that is a list or a mapping (`? [a]`) would be stringified by toJS, with a warning on stderr.
  let complexKey: Node | undefined;
  visit(doc, { Pair: (_, pair) => { if (!complexKey && (isMap(pair.key) || isSeq(pair.key))) complexKey = pair.key as Node; } });
  if (complexKey) {
    const at = lines.linePos(complexKey.range?.[0] ?? 0);
    throw inputError(`${shown}:${at.line}:${at.col}: a key must be a plain word, not a list or a mapping`);
  }
  let raw: unknown;
  try {
    // yaml's own guard against "billion laughs": aliases that expand a small file into gigabytes.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw inputError(`${shown}:1:1: YAML aliases expand too far (${firstLine((e as Error).message)}); write the values out`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw inputError(`${shown}:1:1: ${what}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw inputError(parsed.error.issues.flatMap(throughUnions).map((issue) => describeIssue(issue, doc, lines, shown)).join('\n'));
  }
  return parsed.data;
}

/** The most a case, variants or claims file may hold: the largest real one is a few KB. */
export const userFileMaxBytes = 4 * 1024 * 1024;

/** Reads a user's file (a regular file, bounded: core/bounded-read.ts); a missing one is an input error naming it. */
export async function readUserFile(file: string, what = 'a YAML file'): Promise<{ bytes: Buffer; shown: string }> {
  const shown = file === '' ? "'' (an empty file name)" : displayPath(file);
  const bytes = await readBounded(file, { maxBytes: userFileMaxBytes, what, shown });
  // A case's text is recorded, hashed and shown: it must be text, and the same text again when re-read.
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw inputError(`${shown}: a binary file (a NUL byte at offset ${nul}), not YAML text`);
  if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) throw inputError(`${shown}: not UTF-8 text; save it as UTF-8`);
  return { bytes, shown };
}

export { displayPath };

/**
 * A union whose value had the right shape for one alternative (its complaints are all about
 * fields inside the value, e.g. `repetitions: {min: 5}` lacking max) is reported as that
 * alternative's complaints, at their own fields.
 */
function throughUnions(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const inner = issue.errors.find((errs) => errs.length > 0 && errs.every((e) => e.path.length > 0));
  return inner ? inner.flatMap((e) => throughUnions({ ...e, path: [...issue.path, ...e.path] })) : [issue];
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter, shown: string): string {
  let path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0]!];
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  } else if (issue.code === 'invalid_key') {
    // zod's own words are "Invalid key in record": the key's schema says what a name may be.
    message = `not a valid name: ${issue.issues[0]?.message ?? 'not allowed here'}`;
  } else if (issue.code === 'invalid_type' && /^Invalid input/.test(issue.message)) {
    // zod's own words ("Invalid input: expected record, received number") name its types.
    message = `expected ${typeInWords(issue.expected)}, not ${valueInWords(valueAt(doc, path))}`;
  } else if (issue.code === 'invalid_union') {
    // zod's own "Invalid input" comes from a sweepable field; any other message is the schema's own.
    message = issue.message === 'Invalid input' ? 'expected a value or a list of values (a sweep); ' + unionDetail(issue) : issue.message;
  }
  if (valueAt(doc, path) === undefined && issue.code !== 'unrecognized_keys') {
    message = 'is required';
  }
  const field = path.length > 0 ? path.join('.') : '(top level)';
  const pos = locate(doc, path, lines, issue.code === 'unrecognized_keys');
  return `${shown}${pos ? `:${pos.line}:${pos.col}` : ''}: ${field}: ${message}`;
}

function typeInWords(expected: string): string {
  const words: Record<string, string> = { number: 'a number', int: 'a whole number', string: 'text', boolean: 'true or false', array: 'a list', record: 'a mapping (key: value lines)', object: 'a mapping (key: value lines)' };
  return words[expected] ?? expected;
}

function valueInWords(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : 'a number out of range';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'true or false';
  return Array.isArray(value) ? 'a list' : 'a mapping';
}

function valueAt(doc: Document, path: (string | number)[]): unknown {
  return path.length === 0 ? doc.toJS() : doc.getIn(path);
}

function unionDetail(issue: z.core.$ZodIssueInvalidUnion): string {
  // The first alternative is the plain value; its complaint is the useful one.
  const first = issue.errors[0]?.[0];
  return first ? first.message : issue.message;
}

/** Finds the deepest node on the path that exists: its key for a missing value, the value otherwise. */
function locate(
  doc: Document,
  path: (string | number)[],
  lines: LineCounter,
  atKey: boolean,
): { line: number; col: number } | undefined {
  let node: unknown = doc.contents;
  let best: Node | undefined = doc.contents ?? undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown })?.value === key);
      if (!pair) break;
      best = (pair.value ?? pair.key) as Node;
      if (atKey && key === path[path.length - 1] && pair.key) best = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!item) break;
      best = item as Node;
      node = item;
    } else {
      break;
    }
  }
  const offset = best?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
