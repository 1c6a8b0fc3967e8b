/**
 * What a posted subject says about its mail, as b4 and patchew read it:
 * "[RFC PATCH v2 3/7] block: ..." is patch 3 of 7 of version 2; "Re: ..." is a reply;
 * "[PATCH 0/7]" is the cover letter.
 */
export interface SubjectTags {
  reply: boolean;
  /** A [PATCH ...] (or [RFC ...], [RFC PATCH ...]) prefix is present. */
  patch: boolean;
  rfc: boolean;
  version: number;
  /** n of [PATCH n/N]; undefined for a lone "[PATCH]". */
  index?: number;
  total?: number;
  /** The subject without Re: and the bracketed prefixes: the commit's title. */
  title: string;
}

export function parseSubject(subject: string): SubjectTags {
  let rest = subject.trim();
  let reply = false;
  for (let m; (m = rest.match(/^(re|aw|fwd?)\s*:\s*/i)); ) {
    reply = true;
    rest = rest.slice(m[0].length);
  }
  const tags: SubjectTags = { reply, patch: false, rfc: false, version: 1, title: rest };
  for (let m; (m = rest.match(/^\[([^\]]*)\]\s*/)); ) {
    const words = m[1]!.split(/\s+/).filter(Boolean);
    if (words.some((w) => /^(patch|rfc)$/i.test(w))) {
      tags.patch = true;
      for (const w of words) {
        if (/^rfc$/i.test(w)) tags.rfc = true;
        const v = w.match(/^v(\d+)$/i);
        if (v) tags.version = Number(v[1]);
        const n = w.match(/^(\d+)\/(\d+)$/);
        if (n) [tags.index, tags.total] = [Number(n[1]), Number(n[2])];
      }
    }
    rest = rest.slice(m[0].length);
  }
  tags.title = rest;
  return tags;
}

/** "[PATCH v2 3/7]": how a reviewer names one patch. */
export function patchLabel(t: Pick<SubjectTags, 'rfc' | 'version' | 'index' | 'total'>): string {
  const words = [t.rfc ? 'RFC PATCH' : 'PATCH', t.version > 1 ? `v${t.version}` : '', t.index !== undefined ? `${t.index}/${t.total}` : ''];
  return `[${words.filter(Boolean).join(' ')}]`;
}
