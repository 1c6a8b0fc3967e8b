import { readdir, stat } from 'node:fs/promises';
import { readBounded } from '../core/bounded-read.js';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { displayPath } from '../core/yaml-input.js';

/** One mail as posted: its headers (decoded), its raw text for git am, and where it came from. */
export interface MailMessage {
  /** The file and line its first line is on, for error messages: "series.mbox:120". */
  where: string;
  /** Header names in lower case; folded lines joined, RFC 2047 words decoded. */
  headers: Map<string, string>;
  /** The whole message as it appeared (mbox escaping undone), for git am. */
  raw: string;
  /** The body with any base64 or quoted-printable transfer encoding undone. */
  body: string;
}

/**
 * SERIES as a reviewer has it: an mbox (a list archive's, `git format-patch --stdout`, b4's),
 * a directory of *.patch files (`git format-patch -o`), or one patch. Bad input names the file
 * and line; nothing is guessed.
 */
export async function readMailInput(path: string): Promise<MailMessage[]> {
  const shown = displayPath(path);
  const kind = await stat(path).then(
    (s) => (s.isDirectory() ? 'dir' : 'file'),
    () => undefined,
  );
  if (!kind) throw inputError(`${shown}: no such file or directory`);
  if (kind === 'file') return parseMbox(await readMail(path, shown), shown);
  const files = (await readdir(path)).filter((f) => f.endsWith('.patch')).sort();
  if (files.length === 0) throw inputError(`${shown}: no *.patch files in this directory`);
  const messages: MailMessage[] = [];
  for (const f of files) messages.push(...parseMbox(await readMail(join(path, f), displayPath(join(path, f))), displayPath(join(path, f))));
  return messages;
}

/** A list archive of a month is a few MB; a series is read whole, so it is bounded (core/bounded-read.ts). */
const mboxMaxBytes = 64 * 1024 * 1024;

async function readMail(path: string, shown: string): Promise<string> {
  return (await readBounded(path, { maxBytes: mboxMaxBytes, what: 'a series (an mbox or a patch)', shown })).toString('utf8');
}

const fromLine = /^From \S+/;

/** Splits an mbox (or one mail without a From_ line) into messages. */
export function parseMbox(text: string, shown: string): MailMessage[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.every((l) => l.trim() === '')) throw inputError(`${shown}: empty: expected a mail (an mbox, or a patch made by git format-patch)`);
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (fromLine.test(l) && (i === 0 || lines[i - 1] === '')) starts.push(i);
  });
  // A single mail saved without its mbox From_ line starts straight with headers.
  if (starts[0] !== 0) {
    if (!isHeaderLine(lines[0]!)) {
      throw inputError(`${shown}:1: not a mail: expected an mbox "From " line or a header such as "From: ..." (found "${clip(lines[0]!)}")`);
    }
    starts.unshift(0);
  }
  return starts.map((start, k) => {
    const end = starts[k + 1] ?? lines.length;
    const from = fromLine.test(lines[start]!) ? start + 1 : start;
    return parseMessage(lines.slice(from, end), shown, from + 1, `${shown}:${start + 1}`);
  });
}

function parseMessage(lines: string[], shown: string, firstLine: number, where: string): MailMessage {
  const headers = new Map<string, string>();
  let i = 0;
  let last: string | undefined;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const l = lines[i]!;
    if (/^[ \t]/.test(l) && last) {
      headers.set(last, headers.get(last)! + ' ' + l.trim());
      continue;
    }
    const m = l.match(/^([!-9;-~]+):[ \t]*(.*)$/);
    if (!m) throw inputError(`${shown}:${firstLine + i}: malformed mail header (expected "Name: value", found "${clip(l)}")`);
    last = m[1]!.toLowerCase();
    // The first of a repeated header counts, as git mailinfo takes it.
    if (!headers.has(last)) headers.set(last, m[2]!);
  }
  if (headers.size === 0) throw inputError(`${shown}:${firstLine}: a message without headers`);
  if (!headers.has('subject')) throw inputError(`${shown}:${firstLine}: the message has no Subject: header`);
  for (const [k, v] of headers) headers.set(k, decodeWords(v.trim()));
  // mboxrd escapes body lines that start with "From " as ">From ".
  const unescaped = lines.map((l) => l.replace(/^>(>*From )/, '$1'));
  const bodyLines = unescaped.slice(i + 1);
  while (bodyLines.length > 0 && bodyLines[bodyLines.length - 1] === '') bodyLines.pop();
  return {
    where,
    headers,
    raw: unescaped.join('\n').replace(/\n*$/, '\n'),
    body: decodeBody(bodyLines.join('\n'), headers.get('content-transfer-encoding') ?? ''),
  };
}

function isHeaderLine(l: string): boolean {
  return /^[!-9;-~]+:/.test(l);
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

/** RFC 2047 encoded words (=?UTF-8?q?...?=), as git writes non-ASCII subjects and names. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => {
      const bytes = enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64') : qBytes(text.replace(/_/g, ' '));
      return new TextDecoder(charset.toLowerCase() === 'utf-8' ? 'utf-8' : 'latin1').decode(bytes);
    });
}

function qBytes(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(text.charCodeAt(i));
  }
  return Buffer.from(out);
}

function decodeBody(body: string, encoding: string): string {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') return qBytes(body.replace(/=\n/g, '')).toString('utf8');
  return body;
}
