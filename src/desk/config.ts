import { z } from 'zod';

/** gateway.yaml `staff:`: the staff web's sessions and sign-in. Every field has a default. */
export const deskConfigSchema = z.strictObject({
  /** How long a browser stays signed in. */
  sessionHours: z.number().positive().max(24 * 30).default(12),
  /** How long an emailed sign-in link works (once). */
  signInLinkMinutes: z.number().positive().max(24 * 60).default(15),
  /** Failed sign-ins allowed per client address and per email address in the window, then 429 until it passes. */
  failedSignIns: z.strictObject({ max: z.number().int().positive().default(5), windowMinutes: z.number().positive().default(15) }).prefault({}),
  /** Tickets per page in the queue. */
  pageSize: z.number().int().min(5).max(200).default(50),
});
export type DeskConfig = z.output<typeof deskConfigSchema>;
