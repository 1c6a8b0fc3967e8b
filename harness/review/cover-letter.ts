import { mailWidth, wrap } from './plain-text.js';
import { changedPhases, pointRows, pointTable } from './point-table.js';
import type { SeriesComparison } from './latest-comparison.js';

/** The title a series' README gives itself: "# name — what it does" → "what it does". */
export function readmeTagline(readme: string | undefined): string | undefined {
  const heading = readme?.match(/^#\s+(.+)$/m)?.[1];
  return heading?.split(/\s+—\s+/).slice(1).join(' — ') || undefined;
}

/**
 * The blurb of the cover letter: what the series is for, and the latest measurement of it, as
 * the table review.txt uses; or a plain statement that nothing measured it yet.
 */
export function coverBlurb(series: string, tagline: string | undefined, measured: SeriesComparison | undefined, resultsShown: string): string {
  const out: string[] = [];
  if (tagline) out.push(...wrap(`${tagline[0]!.toUpperCase()}${tagline.slice(1)}.`), '');
  if (!measured) {
    out.push(...wrap(`No run in ${resultsShown} compared ${series} with a base yet: nothing measured is claimed here.`));
    return out.join('\n');
  }
  const first = measured.observations.find((o) => !o.warmup);
  const setup = first ? `${first.params.arch} guest under ${first.params.accel.toUpperCase()}, QEMU ${first.variant.qemuVersion}` : '';
  out.push(...wrap(`Measured with emuflock (run ${measured.runId}, case ${first?.case ?? '?'}, ${setup}); medians with 95% bootstrap intervals, ratio = series/base:`));
  out.push('');
  for (const p of pointRows(measured.reports)) {
    const any = [...p.rows.values()][0]!;
    out.push(...wrap(`${p.point}: base ${p.baseline}, series ${p.variant}, ${any.pair.old.used.length} + ${any.pair.new.used.length} trials`, mailWidth));
    out.push(pointTable(p.rows, 'base', 'series'));
    const { changed } = changedPhases(p.rows);
    out.push(...wrap(changed.length > 0 ? `Changed: ${changed.join(', ')}.` : 'No phase changed measurably.'), '');
  }
  return out.join('\n').trimEnd();
}

/** git format-patch's cover letter with its placeholders filled. */
export function fillCoverLetter(text: string, subject: string, blurb: string): string {
  return text.replace('*** SUBJECT HERE ***', subject).replace('*** BLURB HERE ***', blurb);
}
