import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseYaml, readUserFile } from '../core/yaml-input.js';

/**
 * A talk's claims, each with how this host checks it (cases/talk/claims.yaml). A claim is
 * checked by a figure of a case (`measure`), by the largest value of a swept parameter at which
 * every trial still ended ok (`limit`), by counting a list of the trial's record by one field
 * (`tally`: each guest's migration outcome), or says why it cannot run here (`cannotRun`).
 */
const text = (what: string, max = 300) => z.string().trim().min(1, `say ${what}`).max(max, `at most ${max} characters`);

/** Trial parameters to pick a point, e.g. {disks: 1000} or {env: {MALLOC_ARENA_MAX: 1}}; matched against each trial's params. */
const pointSchema = z
  .record(
    z.string().regex(/^[A-Za-z]+$/, 'a trial parameter name, e.g. disks'),
    z.union([z.number(), z.string(), z.boolean(), z.record(z.string(), z.union([z.string(), z.number()]))]),
  )
  .default({});

/** A phase (totalMs, qemuInitMs, ...) or a dotted path to a number of the Observation, e.g. resources.fdsPeak. */
const metricPath = z
  .string()
  .regex(/^[A-Za-z]+(\.[A-Za-z]+)*$/, 'a phase (totalMs, qemuInitMs, ...) or a dotted path into a trial record, e.g. resources.fdsPeak')
  .default('totalMs');

const measureSchema = z.strictObject({
  metric: metricPath,
  variant: z.string().min(1).optional(),
  point: pointSchema,
  /** A variant of the same case: the figure is then also compared with it (ratio and verdict). */
  against: z.string().min(1).optional(),
  /** Divide by this trial parameter, e.g. fds per NIC: `per: nics`. */
  per: z.string().regex(/^[A-Za-z]+$/).optional(),
  /** How the number reads: time (ms), KiB, or a plain count (default: time for phases, else count). */
  unit: z.enum(['time', 'KiB', 'count']).optional(),
});

/** Tallies a list of the trial's record by one field, e.g. each guest's migration outcome. */
const tallySchema = z.strictObject({
  list: z.string().regex(/^[A-Za-z]+(\.[A-Za-z]+)*$/, 'a dotted path to a list in a trial record, e.g. migration.perGuest'),
  by: z.string().regex(/^[A-Za-z]+$/, 'a field of each item, e.g. outcome'),
  variant: z.string().min(1).optional(),
  point: pointSchema,
});

const limitSchema = z.strictObject({
  /** The swept parameter walked upwards, e.g. nics or guests. */
  along: z.string().regex(/^[A-Za-z]+$/, 'a trial parameter name, e.g. guests'),
  variant: z.string().min(1).optional(),
});

export const claimSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"').max(40),
    claim: text('what the talk claims'),
    /** The talk's own figure, as it gave it: "13 min", "1024", "> 64". */
    talk: text('the figure the talk gave', 120),
    slide: text('which slide it is on', 120),
    /** The case that checks it, relative to this file. */
    case: z.string().min(1).optional(),
    measure: measureSchema.optional(),
    limit: limitSchema.optional(),
    tally: tallySchema.optional(),
    /** Why the claim cannot be checked on this kind of host. */
    cannotRun: text('why it cannot run here', 400).optional(),
    /** The case's chart that shows it: startup, phases, fleet, ... (default startup). */
    chart: z.string().regex(/^[a-z0-9-]+$/).optional(),
  })
  .superRefine((c, ctx) => {
    const checks = [c.measure, c.limit, c.tally, c.cannotRun].filter((x) => x !== undefined).length;
    if (checks !== 1) ctx.addIssue({ code: 'custom', path: [], message: 'give exactly one of measure, limit, tally or cannotRun' });
    if (c.cannotRun === undefined && c.case === undefined) ctx.addIssue({ code: 'custom', path: ['case'], message: 'name the case that checks the claim' });
    if (c.cannotRun !== undefined && c.case !== undefined) ctx.addIssue({ code: 'custom', path: ['case'], message: 'a claim that cannot run here names no case' });
  });

export const claimsFileSchema = z
  .strictObject({
    title: text('the talk, as the report heads it'),
    /** Where the talk was given and by whom: shown under the title. */
    source: text('where the talk was given'),
    /** The host the talk measured on, shown beside its figures. */
    conditions: text('the host the talk measured on'),
    claims: z.array(claimSchema).min(1, 'list at least one claim'),
  })
  .superRefine((f, ctx) => {
    const ids = f.claims.map((c) => c.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['claims', i, 'id'], message: `claim "${id}" is listed twice` });
    });
  });

export type Claim = z.output<typeof claimSchema>;
export type ClaimsFile = z.output<typeof claimsFileSchema> & {
  /** The file as given, for messages. */
  shown: string;
  /** Each claim's case file, resolved against the claims file's folder. */
  caseFiles: ReadonlyMap<string, string>;
};

export async function loadClaims(file: string): Promise<ClaimsFile> {
  const { bytes, shown } = await readUserFile(file);
  const spec = parseYaml(bytes.toString('utf8'), shown, claimsFileSchema, 'a claims file is a YAML mapping: title, source, conditions, claims');
  const caseFiles = new Map(spec.claims.flatMap((c) => (c.case ? [[c.id, resolve(dirname(file), c.case)] as const] : [])));
  return { ...spec, shown, caseFiles };
}
