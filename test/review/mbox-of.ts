import { execa } from 'execa';
import { join } from 'node:path';
import { debianQemuSource } from '../../harness/variants/debian-source.js';
import { seriesForSource } from '../../harness/variants/resolve.js';
import { tempDir } from '../helpers.js';

const identity = ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.org'];

/**
 * A series of patches/ as a list would carry it: applied with git am onto Debian's QEMU source
 * (after `onto`, the base variant's own series) and written by `git format-patch --stdout`,
 * the real thing a reviewer saves from a list archive.
 */
export async function mboxOf(series: string, opts: { onto?: string[]; coverLetter?: boolean } = {}): Promise<string> {
  const source = await debianQemuSource(() => {});
  const dir = await tempDir('emuflock-mbox-');
  const tree = join(dir, 'tree');
  const git = (...args: string[]) => execa('git', ['-C', tree, ...identity, ...args]);
  await execa('git', ['clone', '-q', '--shared', '--no-checkout', source.repo, tree]);
  await git('checkout', '-q', '--detach', source.commit);
  // Each series in its version for the source's QEMU release, as a build takes it.
  for (const s of await seriesForSource(opts.onto ?? [], source, 'mboxOf')) for (const p of s.patches) await git('apply', '--index', p.path);
  if (opts.onto?.length) await git('commit', '-q', '-m', 'base');
  const base = (await git('rev-parse', 'HEAD')).stdout.trim();
  for (const p of (await seriesForSource([series], source, 'mboxOf'))[0]!.patches) await git('am', '-q', p.path);
  const out = await git('format-patch', '--stdout', ...(opts.coverLetter ? ['--cover-letter'] : []), `${base}..HEAD`);
  return out.stdout + '\n';
}

/** An mbox's messages, split at their From_ lines, and joined back. */
export function splitMbox(mbox: string): string[] {
  return mbox.split(/\n(?=From [0-9a-f]{40} )/).map((m) => m.replace(/\n*$/, '\n'));
}

export function reply(subject: string, quoted: string): string {
  return `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: Reviewer <r@example.org>\nDate: Fri, 27 Nov 2026 10:00:00 +0000\nSubject: Re: ${subject}\n\n${quoted.replace(/^/gm, '> ')}\n\nLooks right to me.\n`;
}
