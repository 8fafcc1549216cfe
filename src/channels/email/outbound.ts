import type { Transporter } from 'nodemailer';
import type { Logger } from '../../shared/logger.js';
import { PermanentJobError } from '../../shared/errors.js';
import type { DispatchRegistry, Job } from '../../dispatch/types.js';
import { isSurveyChannel, surveySubscriptions } from '../../survey/config.js';
import { autoClosePromise } from '../../ticketing/auto-close-promise.js';
import type { AutoClosePolicy } from '../../ticketing/loop-config.js';
import type { TicketDetail, TicketService } from '../../ticketing/service-types.js';
import type { TicketEvent, TicketStatus } from '../../ticketing/types.js';
import type { ChannelContext, ThreadIndex } from '../types.js';
import type { EmailState } from './state.js';
import { markFor, MARK_HEADER } from './mark.js';
import { OVERSIZE_MARK } from './normalise.js';
import { renderMail, type MailKind } from './templates.js';

export interface OutboundDeps {
  transport: Pick<Transporter, 'sendMail'>;
  mailFrom: string;
  /** The domain of our Message-IDs. */
  domain: string;
  /** The key of our mark (mark.ts), loaded from the shared state when the first mail is sent. */
  markKey: () => Promise<string>;
  tickets: Pick<TicketService, 'getById'>;
  effects: ChannelContext['effects'];
  emailState: EmailState;
  threads: Pick<ThreadIndex, 'link'>;
  timezone: string;
  publicBaseUrl: string;
  /** Articles the acknowledgement offers (the knowledge base); none when absent. */
  kb?: ChannelContext['kb'];
  /** The satisfaction survey on close (src/survey): its signed link, and the `survey_sent` record; none when absent. */
  survey?: ChannelContext['survey'];
  autoRepliesPerHour: number;
  /** gateway.yaml `loop`'s auto-close rule: the resolution mail promises exactly it (nothing when off). */
  autoClose?: AutoClosePolicy;
  /** Moves the requester is mailed about (`resolved` has its own mail). */
  notifyStatuses: readonly TicketStatus[];
  logger: Logger;
}

/** One job type per kind of mail; each is subscribed for tickets whose requester may have an email address. */
export const EMAIL_JOBS: Array<{ jobType: string; kind: MailKind; events: TicketEvent['type'][] }> = [
  { jobType: 'email.ack', kind: 'ack', events: ['created'] },
  { jobType: 'email.reply', kind: 'reply', events: ['replied_out'] },
  // Which moves are mailed is the subscription's `statuses` (channels.email.notifyStatuses).
  { jobType: 'email.status', kind: 'status', events: ['status_changed', 'claimed', 'closed'] },
  { jobType: 'email.resolved', kind: 'resolved', events: ['resolved'] },
  { jobType: 'email.survey', kind: 'survey', events: ['closed'] },
];

/**
 * Our Message-ID for a job, derived from its idempotency key: a retry after a send whose effect was not
 * recorded carries the same id, so the receiving side sees one message, not two. Its local part is our
 * mark, so the mail is known as ours if it ever comes back.
 */
export function messageIdFor(jobKey: string, domain: string, markKey: string): string {
  return `<${markFor(jobKey, markKey)}@${domain}>`;
}

/** SMTP said no for good (5xx): retrying will not help. Connection trouble and 4xx are retried with backoff. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function eventOf(detail: TicketDetail, job: Job): TicketEvent | undefined {
  return detail.events.find((e) => e.id === job.eventId);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** The mail a job sends: what it says depends on the event (the reply's message, the new status …). */
function factsFor(kind: MailKind, detail: TicketDetail, event: TicketEvent | undefined, deps: OutboundDeps) {
  const { ticket, requester } = detail;
  const firstIn = detail.messages.find((m) => m.direction === 'in');
  // Intake sets every ticket's language (the requester's, else the one their first message was in).
  const language = requester.language ?? ticket.language ?? 'en';
  const data = event?.data ?? {};
  let text: string | undefined;
  if (kind === 'reply') {
    const msg = detail.messages.find((m) => m.id === data.messageId);
    if (!msg || msg.internal) return undefined;
    text = msg.body;
  } else if (kind === 'resolved') {
    text = str(data.resolution);
  } else if (kind === 'survey') {
    if (!deps.survey) return undefined;
    text = deps.survey.url(detail);
  }
  return {
    kind,
    language,
    ticketNumber: ticket.number,
    subject: ticket.subject,
    respondBy: ticket.respondBy,
    timezone: deps.timezone,
    portalUrl: `${deps.publicBaseUrl.replace(/\/$/, '')}/?ticket=${encodeURIComponent(ticket.number)}`,
    ...(text ? { text } : {}),
    ...(kind === 'resolved' && deps.autoClose ? { closing: autoClosePromise(deps.autoClose, language) } : {}),
    status: str(data.to) ?? str(data.status) ?? ticket.status,
    oversize: kind === 'ack' && !!firstIn?.body.startsWith(OVERSIZE_MARK),
    articles: kind === 'ack' && deps.kb ? deps.kb.forAck(`${ticket.subject}\n${firstIn?.body ?? ''}`.slice(0, 2000), language, ticket.number) : [],
  } as const;
}

/**
 * Sends one mail for one job, once: the effect recorded under the job's key is checked first and written
 * after a successful send. Automatic mail (everything but an agent's reply) is skipped for tickets opened
 * by automatic mail, dead addresses and senders over the hourly cap.
 */
export function createMailSender(deps: OutboundDeps) {
  const log = deps.logger.child({ channel: 'email' });

  async function handle(kind: MailKind, job: Job): Promise<void> {
    if (await deps.effects.get(job.key)) return;
    const detail = await deps.tickets.getById(job.ticketId);
    if (!detail) throw new PermanentJobError(`ticket ${job.ticketId} not found`);
    const to = detail.requester.email;
    const skip = async (reason: string) => {
      await deps.effects.record(job.key, { skipped: reason });
      log.info({ ticketId: job.ticketId, job: job.key, reason }, 'email not sent');
    };
    if (!to) return skip('no email address');
    if (await deps.emailState.isDead(to)) return skip('address bounced');
    const event = eventOf(detail, job);
    const automatic = kind !== 'reply';
    const opening = detail.events.find((e) => e.type === 'created');
    if (automatic && typeof opening?.data.intakeId === 'string' && (await deps.emailState.quietReason(opening.data.intakeId))) {
      return skip('opened by automatic mail');
    }
    const facts = factsFor(kind, detail, event, deps);
    if (!facts) return skip('no message for the requester');
    if (automatic && !(await deps.emailState.underAutomaticCap(to, deps.autoRepliesPerHour))) return skip('hourly cap for automatic mail');

    const mail = renderMail(facts);
    const markKey = await deps.markKey();
    const messageId = messageIdFor(job.key, deps.domain, markKey);
    // The requester's newest mail is what we answer; References carry their mail and ours.
    const theirs = detail.messages.filter((m) => m.direction === 'in' && m.channel === 'email' && m.nativeId).map((m) => m.nativeId as string);
    const ours = await deps.emailState.sentIds(detail.ticket.id);
    const references = [...new Set([...theirs, ...ours])].slice(-10);
    const inReplyTo = theirs[theirs.length - 1] ?? ours[ours.length - 1];
    // Known before sending, so a bounce or a reply that beats the effect record still finds the ticket.
    await deps.threads.link(detail.ticket.id, messageId);
    try {
      await deps.transport.sendMail({
        from: deps.mailFrom,
        to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
        ...(inReplyTo ? { inReplyTo, references } : {}),
        headers: {
          'X-Auto-Response-Suppress': 'All',
          // Our mark again, for a relay that rewrites the Message-ID.
          [MARK_HEADER]: markFor(job.key, markKey),
          ...(automatic ? { 'Auto-Submitted': 'auto-replied' } : {}),
        },
      });
    } catch (err) {
      log.warn({ ticketId: job.ticketId, job: job.key, attempt: job.attempt, code: (err as { responseCode?: number }).responseCode }, 'smtp send failed');
      if (isPermanent(err)) throw new PermanentJobError(`smtp refused: ${(err as Error).message}`);
      throw err;
    }
    // The effect first: a crash between the send and this write is what repeats a mail, so nothing else
    // waits in that window. A crash after it loses only bookkeeping (References, the hourly count).
    await deps.effects.record(job.key, { messageId, to, kind, nativeId: messageId });
    await deps.emailState.addSent(detail.ticket.id, messageId);
    if (automatic) await deps.emailState.countAutomatic(to);
    if (kind === 'survey') await deps.survey?.sent(detail, { channel: isSurveyChannel(detail.ticket.channel) ? detail.ticket.channel : 'email', by: 'email', messageId });
    log.info({ ticketId: job.ticketId, job: job.key, kind }, 'email sent');
  }

  return {
    handle,
    registerJobs(dispatch: DispatchRegistry): void {
      for (const j of EMAIL_JOBS) {
        dispatch.register(j.jobType, (job) => handle(j.kind, job), { attempts: 12, backoffMs: 2000 });
        // The survey follows its own settings per channel (gateway.yaml `survey.channels`): on/off and delay.
        if (j.kind === 'survey') {
          for (const sub of deps.survey ? surveySubscriptions(deps.survey.config, j.jobType, ['email', 'web', 'api']) : []) dispatch.subscribe(sub);
          continue;
        }
        // Web and API requesters who gave an email address hear back by email too.
        dispatch.subscribe({
          jobType: j.jobType,
          events: j.events,
          channels: ['email', 'web', 'api'],
          ...(j.kind === 'status' ? { statuses: deps.notifyStatuses } : {}),
        });
      }
    },
  };
}
