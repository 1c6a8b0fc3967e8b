import { z } from 'zod';

/**
 * A published figure a case reproduces (a talk's slide, a commit message, a paper): what was
 * measured, its value, and the conditions it was measured under, so that charts and reports can
 * show it beside this host's figure without passing one for the other.
 */
export const referenceUnits = { ms: 1, s: 1000, min: 60_000 } as const;
export type ReferenceUnit = keyof typeof referenceUnits;

const shortText = (what: string) => z.string().trim().min(1, `say ${what}`).max(300, 'at most 300 characters');

export const referenceSchema = z.strictObject({
  /** The variant of this case that plays the published one's part. */
  variant: z.string().min(1),
  disks: z.number().int('must be a whole number').positive('must be at least 1'),
  /** Only start-up (spawn → every disk seen) for now: what published scale figures report. */
  metric: z.literal('totalMs', { error: 'only totalMs (start-up: spawn → every disk seen) is supported' }).default('totalMs'),
  value: z.number().positive('must be more than 0'),
  unit: z.enum(Object.keys(referenceUnits) as [ReferenceUnit, ...ReferenceUnit[]]),
  /** Where and how it was measured, e.g. "z13, KVM, QEMU 2.3, 2015": shown wherever the figure is. */
  conditions: shortText('where and how it was measured (machine, accelerator, year)'),
  /** Where it was published, so a reader can check it. */
  source: shortText('where it was published'),
});

export type Reference = z.output<typeof referenceSchema>;

/** The figure in milliseconds, the unit every measured phase has. */
export const referenceMs = (r: Reference): number => r.value * referenceUnits[r.unit];

/** "13 min", "16 s": as published. */
export const referenceValue = (r: Reference): string => `${r.value} ${r.unit}`;
