import { inputError } from '../core/errors.js';
import type { MailMessage } from './mail-message.js';
import { parseSubject, patchLabel, type SubjectTags } from './patch-subject.js';

export interface PostedPatch {
  message: MailMessage;
  tags: SubjectTags;
  subject: string;
}

/** A posted series reduced to what gets applied: its patches in [PATCH n/N] order. */
export interface PostedSeries {
  /** The cover letter's subject, else the only (or first) patch's. */
  subject: string;
  version: number;
  cover?: MailMessage;
  patches: PostedPatch[];
  /** Messages left out and why ("reply", "no diff", "version 1 (v2 is newer)"), for the log. */
  skipped: { where: string; subject: string; why: string }[];
}

/** A mail body that carries a diff (git's, or a plain unified diff); quoted diffs in replies start with ">". */
export function hasDiff(body: string): boolean {
  return /^diff --git /m.test(body) || /^--- \S.*\n\+\+\+ \S/m.test(body);
}

/**
 * Keeps what b4 am keeps: patches of the newest version, no cover letter, no replies, ordered
 * by their [PATCH n/N] numbers, and checks that 1..N are all there. Pure: tested on mail text.
 */
export function selectSeries(messages: readonly MailMessage[], shown: string): PostedSeries {
  const skipped: PostedSeries['skipped'] = [];
  const candidates: PostedPatch[] = [];
  let covers: PostedPatch[] = [];
  for (const message of messages) {
    const subject = message.headers.get('subject')!;
    const tags = parseSubject(subject);
    const skip = (why: string) => skipped.push({ where: message.where, subject, why });
    if (tags.reply) skip('a reply');
    else if (tags.index === 0) covers.push({ message, tags, subject });
    else if (!hasDiff(message.body)) {
      if (tags.index !== undefined) throw inputError(`${message.where}: ${patchLabel(tags)} "${tags.title}" carries no diff`);
      skip('no diff');
    } else candidates.push({ message, tags, subject });
  }
  if (candidates.length === 0) {
    throw inputError(`${shown}: no patch in it${skipped.length > 0 ? ` (${skipped.length} message${skipped.length > 1 ? 's' : ''} skipped: ${[...new Set(skipped.map((s) => s.why))].join(', ')})` : ''}`);
  }
  const version = Math.max(...candidates.map((p) => p.tags.version));
  for (const p of candidates.filter((p) => p.tags.version !== version)) skipped.push({ where: p.message.where, subject: p.subject, why: `version ${p.tags.version} (v${version} is newer)` });
  const patches = candidates.filter((p) => p.tags.version === version);
  for (const c of covers.filter((c) => c.tags.version !== version)) skipped.push({ where: c.message.where, subject: c.subject, why: `cover letter of version ${c.tags.version}` });
  covers = covers.filter((c) => c.tags.version === version);

  const numbered = patches.filter((p) => p.tags.index !== undefined);
  if (numbered.length > 0 && numbered.length < patches.length) {
    const lone = patches.find((p) => p.tags.index === undefined)!;
    throw inputError(`${lone.message.where}: "${lone.subject}" has no n/N number while other patches of the series do; cannot tell where it goes`);
  }
  if (numbered.length > 0) checkComplete(numbered, shown);
  const ordered = numbered.length > 0 ? [...patches].sort((a, b) => a.tags.index! - b.tags.index!) : patches;
  const cover = covers[0];
  return {
    subject: cover?.subject ?? ordered[0]!.subject,
    version,
    ...(cover ? { cover: cover.message } : {}),
    patches: ordered,
    skipped,
  };
}

function checkComplete(patches: PostedPatch[], shown: string): void {
  const totals = [...new Set(patches.map((p) => p.tags.total!))];
  if (totals.length > 1) {
    throw inputError(`${shown}: the patches disagree on the series length (${totals.map((n) => `n/${n}`).join(' and ')}): two series mixed in one input?`);
  }
  const total = totals[0]!;
  const seen = new Map<number, PostedPatch>();
  for (const p of patches) {
    const n = p.tags.index!;
    if (n > total) throw inputError(`${p.message.where}: ${patchLabel(p.tags)}: patch ${n} of a ${total}-patch series`);
    const twin = seen.get(n);
    if (twin) throw inputError(`${p.message.where}: ${patchLabel(p.tags)} appears twice (also at ${twin.message.where}); keep one`);
    seen.set(n, p);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((n) => !seen.has(n));
  if (missing.length > 0) {
    const t = patches[0]!.tags;
    throw inputError(
      `${shown}: the series is incomplete: ${missing.map((n) => patchLabel({ ...t, index: n, total })).join(', ')} missing (have ${[...seen.keys()].sort((a, b) => a - b).join(', ')} of ${total})`,
    );
  }
}
