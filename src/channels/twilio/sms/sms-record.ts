import type { IntakeRecordInput } from '../../../intake/record.js';
import { detectLanguage } from '../../../intake/language.js';
import { TICKET_NUMBER_SOURCE } from '../../../ticketing/numbers.js';

export interface SmsInput {
  id: string;
  receivedAt: string;
  /** Twilio's webhook parameters (MessageSid, From, To, Body, NumMedia, MediaUrl0 …). */
  params: Record<string, string>;
}

const TICKET_NUMBER = new RegExp(`\\b(${TICKET_NUMBER_SOURCE})\\b`);
const SUBJECT_TEXT = 60;
/** Twilio's limit on media per message. */
const MAX_MEDIA = 10;

/**
 * An incoming text as an intake record: `sms:<MessageSid>` dedupes Twilio's retries; a ticket number in
 * the text names the ticket it is about; the conversation `sms:<From>` lets intake join the sender's
 * open ticket (within intake's conversation window). MMS media stay at Twilio: their URLs go in `meta.media.<n>`.
 */
export function smsRecord(input: SmsInput): IntakeRecordInput {
  const p = input.params;
  const from = p.From ?? '';
  const sid = p.MessageSid ?? p.SmsSid ?? '';
  const text = (p.Body ?? '').trim();
  const language = detectLanguage(text) ?? 'en';
  const media: Record<string, string> = {};
  const count = Math.min(Number(p.NumMedia ?? 0) || 0, MAX_MEDIA);
  for (let i = 0; i < count; i++) {
    const url = p[`MediaUrl${i}`];
    if (url) media[`media.${i}`] = url;
  }
  const firstLine = text.split('\n')[0] ?? '';
  const ticketNumber = TICKET_NUMBER.exec(text)?.[1]?.toUpperCase();
  return {
    id: input.id,
    channel: 'sms',
    receivedAt: input.receivedAt,
    dedupeKey: `sms:${sid}`,
    requester: { phone: from, language },
    subject: firstLine ? (firstLine.length > SUBJECT_TEXT ? `${firstLine.slice(0, SUBJECT_TEXT - 1)}…` : firstLine) : `SMS ${from}`,
    body: text || `(${Object.keys(media).length} media)`,
    language,
    attachments: [],
    thread: {
      ...(ticketNumber ? { ticketNumber } : {}),
      conversationId: `sms:${from}`,
    },
    meta: { ...(p.To ? { to: p.To } : {}), ...media },
  };
}
