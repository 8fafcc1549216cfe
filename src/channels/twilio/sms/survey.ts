import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Job, JobHandler } from '../../../dispatch/types.js';
import { PermanentJobError } from '../../../shared/errors.js';
import { withFields, type Logger } from '../../../shared/logger.js';
import { scoreOf, type Survey } from '../../../survey/survey.js';
import type { TicketService } from '../../../ticketing/service-types.js';
import type { ChannelContext, ChannelState } from '../../types.js';
import { PROMPTS } from '../prompts.js';
import type { SmsSender } from '../rest-client.js';
import { pick, type Lang } from '../speech.js';
import type { OptOutStore } from './opt-out.js';

export const SMS_SURVEY_JOB = 'sms.survey';

/** Which ticket a number's next bare 1–5 answers: the one whose survey was last texted to it. */
const surveyKey = (phone: string) => `twilio:survey:${phone}`;

/**
 * A number that can take a text. libphonenumber tells mobiles from landlines where the numbering plan does
 * (China, most of Europe); in plans that mix them (North America) it cannot, and the text is tried.
 */
export function isMobile(phone: string): boolean {
  const type = parsePhoneNumberFromString(phone)?.getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
}

export interface SmsSurveyDeps {
  survey: Survey;
  tickets: TicketService;
  effects: ChannelContext['effects'];
  state: ChannelState;
  optOuts: OptOutStore;
  sender: SmsSender;
  defaultLang: Lang;
  logger: Logger;
}

/**
 * `sms.survey`: on close, texts an SMS ticket's requester, or a caller whose number is a mobile, "reply 1–5".
 * Sent once (the effect is recorded after Twilio accepted it), never to a number that said STOP.
 */
export function createSmsSurveyHandler(deps: SmsSurveyDeps): JobHandler {
  return async (job: Job) => {
    if (await deps.effects.get(job.key)) return;
    const detail = await deps.tickets.getById(job.ticketId);
    if (!detail) throw new PermanentJobError(`ticket ${job.ticketId} not found`);
    const log = withFields(deps.logger, { ticketId: job.ticketId, jobKey: job.key });
    const skip = async (reason: string) => {
      await deps.effects.record(job.key, { skipped: reason });
      log.info({ reason }, 'sms survey not sent');
    };
    const phone = detail.requester.phone;
    if (!phone) return skip('no phone');
    if (detail.ticket.channel === 'voice' && !isMobile(phone)) return skip('the caller’s number is not a mobile');
    if (await deps.optOuts.isOptedOut(phone)) return skip('opted out');
    if (detail.events.some((e) => e.type === 'rated')) return skip('rated already');
    const lang = detail.ticket.language ?? detail.requester.language ?? deps.defaultLang;
    const { sid } = await deps.sender.send(phone, pick(PROMPTS.smsSurvey, lang, { number: detail.ticket.number }));
    await deps.state.set(surveyKey(phone), detail.ticket.number);
    await deps.survey.sent(detail, { channel: detail.ticket.channel === 'voice' ? 'voice' : 'sms', by: 'sms', messageSid: sid });
    await deps.effects.record(job.key, { messageSid: sid });
    log.info({ messageSid: sid }, 'sms survey sent');
  };
}

/**
 * A text that answers the survey texted to this number: a bare 1–5 while that survey awaits its answer. It
 * becomes the ticket's `rated` event (not a message, and no reopening); anything else is an ordinary contact.
 * Returns the reply to text back, or undefined when the text is no answer.
 */
export async function answerSmsSurvey(deps: Pick<SmsSurveyDeps, 'survey' | 'tickets' | 'state'>, from: string, body: string): Promise<Lang | undefined> {
  const score = scoreOf(body);
  if (!score) return undefined;
  const number = await deps.state.get<string>(surveyKey(from));
  const detail = number ? await deps.tickets.get(number) : undefined;
  if (!detail) return undefined;
  const lang = detail.ticket.language ?? detail.requester.language ?? 'zh';
  const channel = detail.ticket.channel === 'voice' ? 'voice' : 'sms';
  // A retried webhook finds the rating recorded already: it is thanked again, and nothing changes.
  if (detail.events.some((e) => e.type === 'rated' && e.data.channel === channel && e.actor === `sms:${from}`)) return lang;
  if (!deps.survey.awaiting(detail, channel)) return undefined;
  await deps.survey.rate(detail.ticket.number, { id: `sms:${from}`, role: 'requester' }, { score, channel });
  return lang;
}
