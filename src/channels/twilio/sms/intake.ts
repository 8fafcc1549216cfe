import { randomUUID } from 'node:crypto';
import { SpocError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';
import type { IntakeOutcome } from '../../../ticketing/service-types.js';
import type { IntakePort } from '../../types.js';
import { PROMPTS } from '../prompts.js';
import { detectLanguage } from '../../../intake/language.js';
import { pick } from '../speech.js';
import { messagingResponse } from '../twiml.js';
import { optKeyword, type OptOutStore } from './opt-out.js';
import { smsRecord } from './sms-record.js';

export interface SmsIntakeDeps {
  intake: IntakePort;
  optOuts: OptOutStore;
  now(): Date;
  logger: Logger;
  /** Reads a bare 1–5 as the answer to the survey texted to the sender (absent: every text is a contact). */
  answerSurvey?: (from: string, body: string) => Promise<'zh' | 'en' | undefined>;
}

const ACK: Record<IntakeOutcome, typeof PROMPTS.smsAckCreated> = {
  created: PROMPTS.smsAckCreated,
  // A retried webhook: Twilio did not get our answer, so it is given again.
  duplicate: PROMPTS.smsAckCreated,
  joined: PROMPTS.smsAckJoined,
  reopened: PROMPTS.smsAckJoined,
};

/**
 * `POST /twilio/sms`: STOP/START first (they are no contact), then the text becomes a ticket or joins the
 * sender's conversation; the answer is the TwiML `<Message>` acknowledging the ticket number, sent only
 * after intake committed, and never to a number that opted out.
 */
export async function handleIncomingSms(params: Record<string, string>, deps: SmsIntakeDeps): Promise<string> {
  const from = params.From;
  const sid = params.MessageSid ?? params.SmsSid;
  if (!from || !sid) throw new SpocError('invalid_request', 'an SMS webhook needs From and MessageSid', 400);
  const body = params.Body ?? '';
  const lang = detectLanguage(body) ?? 'en';
  const keyword = optKeyword(body);
  if (keyword) {
    await deps.optOuts.set(from, keyword === 'stop');
    deps.logger.info({ messageSid: sid, keyword }, 'sms opt-out keyword');
    return messagingResponse(pick(keyword === 'stop' ? PROMPTS.smsStopped : PROMPTS.smsStarted, lang));
  }
  const rated = await deps.answerSurvey?.(from, body);
  if (rated) {
    deps.logger.info({ messageSid: sid }, 'sms survey answered');
    return messagingResponse(pick(PROMPTS.smsRated, rated));
  }
  const result = await deps.intake.accept(smsRecord({ id: randomUUID(), receivedAt: deps.now().toISOString(), params }));
  deps.logger.info({ messageSid: sid, ticket: result.ticket.number, outcome: result.outcome }, 'sms accepted');
  if (await deps.optOuts.isOptedOut(from)) return messagingResponse();
  return messagingResponse(pick(ACK[result.outcome], lang, { number: result.ticket.number }));
}
