import type { Job, JobHandler, Subscription } from '../../../dispatch/types.js';
import type { Channel } from '../../../intake/record.js';
import { PermanentJobError } from '../../../shared/errors.js';
import { withFields, type Logger } from '../../../shared/logger.js';
import type { TicketDetail, TicketService } from '../../../ticketing/service-types.js';
import type { TicketEvent, TicketStatus } from '../../../ticketing/types.js';
import type { ChannelContext } from '../../types.js';
import { autoClosePromise } from '../../../ticketing/auto-close-promise.js';
import type { AutoClosePolicy } from '../../../ticketing/loop-config.js';
import type { SmsConfig } from '../config.js';
import { PROMPTS, STATUS_WORDS } from '../prompts.js';
import type { SmsSender } from '../rest-client.js';
import { fill, pick, type Lang } from '../speech.js';
import type { OptOutStore } from './opt-out.js';

export const SMS_JOB = 'sms.deliver';

/**
 * What the requester of a phone or SMS ticket is texted about: agents' replies and the resolution always,
 * other moves only to the statuses the desk chose to announce.
 */
export function smsSubscriptions(sms: SmsConfig): Subscription[] {
  const channels: Channel[] = ['sms', 'voice'];
  return [
    { jobType: SMS_JOB, events: ['replied_out', 'resolved'], channels },
    { jobType: SMS_JOB, events: ['status_changed', 'claimed', 'closed'], channels, statuses: sms.notifyStatuses },
  ];
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The text for one ticket event, or nothing (an internal note): an agent's reply, the resolution, or the
 * status the ticket moved to. Pure, so each event's wording is tested without a network.
 */
export function outboundText(event: TicketEvent, detail: TicketDetail, lang: Lang, sms: SmsConfig, autoClose: AutoClosePolicy = { kind: 'off' }): string | undefined {
  const number = detail.ticket.number;
  let text: string | undefined;
  if (event.type === 'replied_out') {
    const message = detail.messages.find((m) => m.id === event.data.messageId);
    if (message && !message.internal) text = pick(PROMPTS.smsReply, lang, { number, body: message.body });
  } else if (event.type === 'resolved') {
    text = pick(PROMPTS.smsResolved, lang, { number, resolution: String(event.data.resolution ?? ''), closing: autoClosePromise(autoClose, lang) ?? '' }).trim();
  } else {
    const to = (typeof event.data.to === 'string' ? event.data.to : detail.ticket.status) as TicketStatus;
    const words = STATUS_WORDS[to];
    text = pick(PROMPTS.smsStatus, lang, { number, status: words.name[lang], next: fill(words.next[lang], { respondBy: '' }) }).trim();
  }
  return text === undefined ? undefined : clip(text, sms.maxLength);
}

export interface SmsDeliverDeps {
  sms: SmsConfig;
  tickets: TicketService;
  effects: ChannelContext['effects'];
  optOuts: OptOutStore;
  sender: SmsSender;
  defaultLang: Lang;
  logger: Logger;
  /** gateway.yaml `loop`'s auto-close rule, promised in the resolution text (nothing when off). */
  autoClose?: AutoClosePolicy;
}

/**
 * `sms.deliver`: texts the requester of a voice or SMS ticket. The effect is recorded under the job's key
 * after Twilio accepted the text, and checked first, so a re-run sends nothing twice; a number that
 * said STOP, or a requester without a phone, gets nothing.
 */
export function createSmsDeliverHandler(deps: SmsDeliverDeps): JobHandler {
  return async (job: Job) => {
    if (await deps.effects.get(job.key)) return;
    const detail = await deps.tickets.getById(job.ticketId);
    if (!detail) throw new PermanentJobError(`ticket ${job.ticketId} not found`);
    const log = withFields(deps.logger, { ticketId: job.ticketId, jobKey: job.key });
    const phone = detail.requester.phone;
    if (!phone) return log.info('sms: requester has no phone');
    if (await deps.optOuts.isOptedOut(phone)) return log.info('sms: requester opted out');
    const event = detail.events.find((e) => e.id === job.eventId);
    if (!event) throw new PermanentJobError(`event ${job.eventId} not found on ticket ${job.ticketId}`);
    const lang = detail.ticket.language ?? detail.requester.language ?? deps.defaultLang;
    const text = outboundText(event, detail, lang, deps.sms, deps.autoClose);
    if (!text) return;
    const { sid } = await deps.sender.send(phone, text);
    await deps.effects.record(job.key, { messageSid: sid, event: event.type });
    log.info({ messageSid: sid, event: event.type, size: text.length }, 'sms sent');
  };
}
