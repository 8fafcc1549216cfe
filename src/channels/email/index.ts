import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ChannelAdapter, ChannelContext, ChannelFactory } from '../types.js';
import { emailConfigSchema, type EmailConfig } from './config.js';
import { bareAddress, domainOf, readEmailEnv } from './env.js';
import { createInboundProcessor } from './inbound.js';
import { createMailSender } from './outbound.js';
import { loadMarkKey } from './mark.js';
import { startParsePool, type ParsePool } from './parse-pool.js';
import { createEmailState } from './state.js';
import { createMailboxWatcher, type MailboxWatcher } from './watcher.js';

export { emailConfigSchema, type EmailConfig } from './config.js';
export { parsedMailToIntake } from './normalise.js';
export { quarantineRoutes } from './quarantine.js';
export { createEmailState } from './state.js';

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
  const addresses = [...(env.mailFrom ? [bareAddress(env.mailFrom)] : []), ...env.mailboxes.map((m) => m.user.toLowerCase()), ...config.ownAddresses.map((a) => a.toLowerCase())];
  // Read once from the shared state, when the first mail is sent or the mailboxes are first watched.
  let markKey: Promise<string> | undefined;
  const loadKey = () => (markKey ??= loadMarkKey(ctx.state));
  const owner = randomUUID();
  let parsePool: ParsePool | undefined;
  let watchers: MailboxWatcher[] = [];
  let heartbeat: NodeJS.Timeout | undefined;
  // SQLite belongs to this one process: a claim not ours is a dead run's. Elsewhere a claim stands while
  // its process gives signs of life.
  const ownerAlive = ctx.soleProcess
    ? async (other: string) => other === owner
    : (other: string) => emailState.alive(other, 3 * config.heartbeatMs);
  const beat = () => emailState.beat(owner).catch((err: Error) => log.warn({ err: err.message }, 'email heartbeat not written'));

  /** The inbound side needs the mark key before it reads the first mail (its parse threads get it as data). */
  async function startInbound(): Promise<void> {
    if (!env.mailboxes.length) return;
    const own = { addresses, markKey: await loadKey() };
    parsePool = config.parseThreads > 0 ? startParsePool({ config, own, attachments: ctx.attachments.options }, config.parseThreads) : undefined;
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
    watchers = env.mailboxes.map((endpoint) =>
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
        ownerAlive,
        logger: ctx.logger,
      }),
    );
    await beat();
    heartbeat = setInterval(beat, config.heartbeatMs);
    heartbeat.unref();
    await parsePool?.ready;
    for (const w of watchers) w.start();
  }
  const transport = sending ? nodemailer.createTransport(env.smtpUrl as string) : undefined;
  const sender =
    transport && env.mailFrom
      ? createMailSender({
          transport,
          mailFrom: env.mailFrom,
          domain,
          markKey: loadKey,
          tickets: ctx.tickets,
          effects: ctx.effects,
          emailState,
          threads: ctx.threads,
          timezone: (ctx.config.gateway as { desk?: { timezone?: string } }).desk?.timezone ?? 'Asia/Shanghai',
          publicBaseUrl: ctx.publicBaseUrl,
          kb: ctx.kb,
          survey: ctx.survey,
          autoRepliesPerHour: config.autoRepliesPerHour,
          notifyStatuses: config.notifyStatuses,
          autoClose: ctx.config.gateway.loop.autoClose,
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
      await startInbound();
      log.info({ mailboxes: env.mailboxes.map((m) => m.name) }, 'email channel started');
    },
    async stop() {
      await Promise.all(watchers.map((w) => w.stop()));
      clearInterval(heartbeat);
      await parsePool?.close();
      transport?.close();
    },
  };
  return adapter;
};
