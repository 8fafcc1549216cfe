import { z } from 'zod';

/** gateway.yaml `intake:` — how contacts become tickets. */
export const intakeConfigSchema = z
  .object({
    /** A contact naming a ticket resolved at most this long ago reopens it; later, a new ticket linked to the old one. */
    reopenWindowDays: z.number().int().min(0).max(365).default(7),
    /** A conversation (SMS sender, chat session, Slack thread) joins its open ticket only within this window. */
    conversationWindowHours: z.number().int().min(1).max(24 * 90).default(72),
    limits: z
      .object({
        bodyBytes: z.number().int().min(1024).default(1_048_576),
        attachmentBytes: z.number().int().min(1024).default(26_214_400),
        attachmentsPerContact: z.number().int().min(0).max(50).default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type IntakeConfig = z.output<typeof intakeConfigSchema>;
