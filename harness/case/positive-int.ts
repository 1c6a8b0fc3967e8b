import { z } from 'zod';

/** A count a case gives: a whole number, at least 1. */
export const positiveInt = z.number().int('must be a whole number').positive('must be at least 1');
