import { z } from 'zod';
import type { GuestEnv } from '../record/params.js';

/**
 * Names that would change what runs rather than how QEMU runs: the LD_* family makes the
 * dynamic loader load or audit other code (the recorded binary sha256 would no longer say what
 * ran), and PATH would change which binary `env` finds.
 */
const refusedName = (name: string): string | undefined => {
  if (name.startsWith('LD_')) return `${name} changes which code QEMU loads, so the recorded binary would not say what ran; build a variant instead`;
  if (name === 'PATH') return 'PATH would change which QEMU binary runs; name the binary through a variant instead';
  return undefined;
};

/** Why a variable name is refused, or undefined. Checked by hand: zod's record keys report only "Invalid key". */
function nameProblem(name: string): string | undefined {
  if (name.length > 128) return 'a variable name of at most 128 characters';
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) return 'variable names are upper-case letters, digits and "_", not starting with a digit';
  return refusedName(name);
}

const envValue = z
  .union([z.string(), z.number().finite()], { error: 'a value is a string or a number' })
  .transform(String)
  .pipe(
    z
      .string()
      .max(4096, 'at most 4096 characters')
      .refine((v) => !/[\0\n\r]/.test(v), 'no NUL or line break in a value'),
  );

/**
 * A guest's extra environment for its QEMU (`env:` in a case), e.g. `MALLOC_ARENA_MAX: 1`.
 * QEMU gets the harness's environment plus these; nothing else in the launch sees them
 * (run/qemu/qemu-process.ts hands them to `env` at the final exec).
 */
export const guestEnvSchema = z.record(z.string(), envValue).superRefine((m, ctx) => {
  const names = Object.keys(m);
  if (names.length > 64) ctx.addIssue({ code: 'custom', message: 'at most 64 variables' });
  for (const name of names) {
    const problem = nameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
  }
});

/** Value characters shown as they are in a point label; anything else is %-escaped, so labels keep no spaces. */
const plainValue = /^[A-Za-z0-9._:+@%-]*$/;

/**
 * `MALLOC_ARENA_MAX=1`, or `A=1,B=x` for several; `inherited` for the empty map (QEMU gets the
 * harness's environment only). Labels are for people and trial ids, never parsed back.
 */
export function envLabel(env: GuestEnv): string {
  const entries = Object.entries(env);
  if (entries.length === 0) return 'inherited';
  return entries.map(([k, v]) => `${k}=${plainValue.test(v) && !v.includes('%') ? v : encodeURIComponent(v)}`).join(',');
}

/** `env NAME=VALUE ...`: the arguments that put a guest's environment in front of QEMU's exec. */
export function envAssignments(env: GuestEnv | undefined): string[] {
  return Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`);
}
