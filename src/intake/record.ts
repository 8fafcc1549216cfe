import { z } from 'zod';

/** Every way a person or a system reaches the desk. `web` is the portal, `api` the REST API. */
export const CHANNELS = ['email', 'voice', 'sms', 'slack', 'chat', 'web', 'api', 'alert'] as const;
export type Channel = (typeof CHANNELS)[number];
/**
 * Channels where people type who they are and nothing checks it (the portal form, the web chat). A
 * directory match there still names the requester, but cannot claim a VIP's priority.
 */
export const SELF_ASSERTED_CHANNELS: ReadonlySet<Channel> = new Set(['web', 'chat']);

export const attachmentSchema = z.object({
  name: z.string().min(1).max(255),
  contentType: z.string().max(255),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where the bytes live: a content-addressed path under the data directory, or an external URL (a recording). */
  ref: z.string(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const requesterIdentitySchema = z.object({
  name: z.string().max(200).optional(),
  /** Local parts and domains in UTF-8 are addresses too (RFC 6532): `张伟@corp.example`. */
  email: z.string().email({ pattern: z.regexes.unicodeEmail }).max(320).optional(),
  /** E.164, normalised by the channel before the record is built. */
  phone: z.string().regex(/^\+[1-9]\d{4,14}$/).optional(),
  slackUserId: z.string().max(64).optional(),
  chatSessionId: z.string().max(128).optional(),
  department: z.string().max(200).optional(),
  language: z.enum(['zh', 'en']).optional(),
});
export type RequesterIdentity = z.infer<typeof requesterIdentitySchema>;

/**
 * The single point of contact: whatever the channel, a contact becomes this one shape before intake
 * sees it. Normalisers that build it are pure functions, so they are tested on recorded fixtures.
 */
export const intakeRecordSchema = z.object({
  id: z.string().uuid(),
  channel: z.enum(CHANNELS),
  receivedAt: z.string().datetime({ offset: true }),
  /** `channel:nativeId` (Message-ID, CallSid, MessageSid, Slack event_id, Idempotency-Key …): the same key never makes two tickets. */
  dedupeKey: z.string().min(3).max(512),
  requester: requesterIdentitySchema,
  subject: z.string().max(500),
  body: z.string().max(200_000),
  language: z.enum(['zh', 'en']).optional(),
  attachments: z.array(attachmentSchema).max(50).default([]),
  thread: z
    .object({
      /** A ticket number the contact names ([INC-000042] in a subject, a keyed-in number). */
      ticketNumber: z.string().optional(),
      /** Message ids this contact answers (In-Reply-To, References, a Slack thread ts …). */
      replyTo: z.array(z.string()).optional(),
      /** A channel conversation that maps to one ticket (a Slack thread, a chat session, an SMS sender). */
      conversationId: z.string().optional(),
      /** This contact's own message id (an email's Message-ID), so later replies that reference it join the ticket. */
      messageId: z.string().optional(),
    })
    .default({}),
  /**
   * Channel metadata the router may match on, flat and string-valued: `mailbox`, `ivr_choice`,
   * `severity`, `label.<name>`, `urgent_line` …
   */
  meta: z.record(z.string(), z.string()).default({}),
});
export type IntakeRecord = z.infer<typeof intakeRecordSchema>;
export type IntakeRecordInput = z.input<typeof intakeRecordSchema>;
