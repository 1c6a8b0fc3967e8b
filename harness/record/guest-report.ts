import { z } from 'zod';

const said = z.number().nullable();

/** What the guest said of itself in its markers (guest/protocol.ts); null where it did not say. */
export const guestReportSchema = z.object({
  uptimeAtInitS: said,
  uptimeAtReadyS: said,
  disksSeen: said,
  /** NICs the guest counted besides lo; present in trials that gave it NICs. */
  nicsSeen: said.optional(),
});
export type GuestReport = z.infer<typeof guestReportSchema>;
