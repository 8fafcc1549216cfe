import { z } from 'zod';

/** Routing hints one mailbox presets: flat string meta the router's rules match (e.g. `team_hint: security`). */
const mailboxSchema = z.object({ meta: z.record(z.string(), z.string()).default({}) }).default({ meta: {} });

/**
 * `channels.email` in gateway.yaml: non-secret behaviour only (URLs and passwords come from IMAP_URL*,
 * SMTP_URL and MAIL_FROM). Every field has a default so an absent section works.
 */
export const emailConfigSchema = z
  .object({
    /** Keyed by the mailbox name: `default` for IMAP_URL, lower-cased NAME for IMAP_URL_<NAME>. */
    mailboxes: z.record(z.string(), mailboxSchema).default({}),
    /** RFC822.SIZE above which a message is not downloaded (it becomes a ticket saying so). */
    maxMessageBytes: z.number().int().positive().default(25 * 1024 * 1024),
    attachments: z
      .object({
        maxBytes: z.number().int().positive().default(10 * 1024 * 1024),
        maxCount: z.number().int().min(0).max(50).default(20),
      })
      .default({ maxBytes: 10 * 1024 * 1024, maxCount: 20 }),
    /** Automatic mails (acknowledgements, status notices) one address receives per hour at most. */
    autoRepliesPerHour: z.number().int().min(0).default(5),
    /** Moves the requester is mailed about; replies and the resolution always are. */
    notifyStatuses: z.array(z.enum(['assigned', 'in_progress', 'pending', 'closed'])).default(['in_progress', 'pending', 'closed']),
    /** Polling interval, the fallback when IDLE is missing or silent. */
    pollIntervalMs: z.number().int().positive().default(60_000),
    /** IDLE is restarted after this long, since a connection can go quiet without an error. */
    idleWatchdogMs: z.number().int().positive().default(5 * 60_000),
    reconnect: z
      .object({ minMs: z.number().int().positive().default(1000), maxMs: z.number().int().positive().default(5 * 60_000) })
      .default({ minMs: 1000, maxMs: 5 * 60_000 }),
    /**
     * Tries a message gets (parse, store, commit) before it is kept aside with an operator notice, so one
     * mail that keeps failing never holds up the mail behind it. A try counts only once the store could
     * record it, so a store outage keeps mail waiting rather than setting it aside.
     */
    maxAttempts: z.number().int().min(1).max(100).default(5),
    /** A message claimed by a process that died is taken over after this long. */
    claimLeaseMs: z.number().int().positive().default(10 * 60_000),
    /** Extra addresses that are ours (aliases), besides MAIL_FROM and the mailboxes' users. */
    ownAddresses: z.array(z.string()).default([]),
    /**
     * Worker threads that parse downloaded mail while the event loop commits the mail before it; 0 parses
     * on the event loop.
     */
    parseThreads: z.number().int().min(0).max(8).default(1),
  })
  .default({
    mailboxes: {},
    maxMessageBytes: 25 * 1024 * 1024,
    attachments: { maxBytes: 10 * 1024 * 1024, maxCount: 20 },
    autoRepliesPerHour: 5,
    notifyStatuses: ['in_progress', 'pending', 'closed'],
    pollIntervalMs: 60_000,
    idleWatchdogMs: 5 * 60_000,
    reconnect: { minMs: 1000, maxMs: 5 * 60_000 },
    maxAttempts: 5,
    claimLeaseMs: 10 * 60_000,
    ownAddresses: [],
    parseThreads: 1,
  });

export type EmailConfig = z.infer<typeof emailConfigSchema>;
