import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ChannelAdapter, ChannelContext, ChannelFactory } from '../types.js';
import { emailConfigSchema, type EmailConfig } from './config.js';
import { bareAddress, domainOf, readEmailEnv } from './env.js';
import { createInboundProcessor } from './inbound.js';
import { createMailSender } from './outbound.js';
import { startParsePool } from './parse-pool.js';
import { createEmailState } from './state.js';
import { createMailboxWatcher, type MailboxWatcher } from './watcher.js';

export { emailConfigSchema, type EmailConfig } from './config.js';
export { parsedMailToIntake } from './normalise.js';

function emailConfigOf(ctx: ChannelContext): EmailConfig {
  const channels = (ctx.config.gateway as { channels?: { email?: unknown } }).channels;
  return emailConfigSchema.parse(channels?.email);
}

/**
 * The email channel: IMAP mailboxes in (IMAP_URL, IMAP_URL_<NAME>), SMTP out (SMTP_URL from MAIL_FROM).
 * Off when neither a mailbox nor SMTP is configured; a desk may also run outbound-only (web and API
 * requesters hear back by email) or inbound-only (no acknowledgements).
 */
export const createEmailChannel: ChannelFactory = (ctx) => {
  const env = readEmailEnv(ctx.env);
  const sending = !!(env.smtpUrl && env.mailFrom);
  if (!env.mailboxes.length && !sending) return { off: 'email: IMAP_URL, SMTP_URL and MAIL_FROM are not set' };
  const config = emailConfigOf(ctx);
  const log = ctx.logger.child({ channel: 'email' });
  const emailState = createEmailState(ctx.state);
  const domain = env.mailFrom ? domainOf(env.mailFrom) : 'localhost';
  const own = {
    addresses: [...(env.mailFrom ? [bareAddress(env.mailFrom)] : []), ...env.mailboxes.map((m) => m.user.toLowerCase()), ...config.ownAddresses.map((a) => a.toLowerCase())],
    messageIdDomain: domain,
  };
  const parsePool =
    env.mailboxes.length && config.parseThreads > 0
      ? startParsePool({ config, own, attachments: ctx.attachments.options }, config.parseThreads)
      : undefined;
  const processor = createInboundProcessor({
    parsePool,
    intake: ctx.intake,
    tickets: ctx.tickets,
    attachments: ctx.attachments,
    emailState,
    threads: ctx.threads,
    config,
    own,
    logger: ctx.logger,
  });
  const owner = randomUUID();
  const watchers: MailboxWatcher[] = env.mailboxes.map((endpoint) =>
    createMailboxWatcher({
      endpoint,
      settings: {
        name: endpoint.name,
        // Rules may match the mailbox by name (`mailbox`) or by the address mail was sent to (`mailbox_address`).
        meta: { ...(endpoint.user.includes('@') ? { mailbox_address: endpoint.user.toLowerCase() } : {}), ...(config.mailboxes[endpoint.name]?.meta ?? {}) },
      },
      config,
      emailState,
      processor,
      owner,
      logger: ctx.logger,
    }),
  );
  const transport = sending ? nodemailer.createTransport(env.smtpUrl as string) : undefined;
  const sender =
    transport && env.mailFrom
      ? createMailSender({
          transport,
          mailFrom: env.mailFrom,
          domain,
          tickets: ctx.tickets,
          effects: ctx.effects,
          emailState,
          threads: ctx.threads,
          timezone: (ctx.config.gateway as { desk?: { timezone?: string } }).desk?.timezone ?? 'Asia/Shanghai',
          publicBaseUrl: ctx.publicBaseUrl,
          kb: ctx.kb,
          autoRepliesPerHour: config.autoRepliesPerHour,
          notifyStatuses: config.notifyStatuses,
          logger: ctx.logger,
        })
      : undefined;
  if (!sending) log.warn('email: SMTP_URL or MAIL_FROM not set: no acknowledgements or replies by email');
  if (!env.mailboxes.length) log.warn('email: no IMAP_URL: outbound only');

  const adapter: ChannelAdapter = {
    name: 'email',
    registerJobs(dispatch) {
      sender?.registerJobs(dispatch);
    },
    async start() {
      await parsePool?.ready;
      for (const w of watchers) w.start();
      log.info({ mailboxes: env.mailboxes.map((m) => m.name) }, 'email channel started');
    },
    async stop() {
      await Promise.all(watchers.map((w) => w.stop()));
      await parsePool?.close();
      transport?.close();
    },
  };
  return adapter;
};
