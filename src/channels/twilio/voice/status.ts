import { DateTime } from 'luxon';
import type { Ticket } from '../../../ticketing/types.js';
import { PROMPTS, STATUS_WORDS } from '../prompts.js';
import { fill, pick, spellTicketNumber, type Lang } from '../speech.js';
import { gather, say, voiceResponse, type VoiceResponse } from '../twiml.js';
import type { VoiceDeps, VoiceStep } from './types.js';
import { NUMBER_WIDTH } from '../../../ticketing/numbers.js';

/** Ticket numbers are `PREFIX-000042`: a caller keys in the digits, leading zeros optional. */

export function askTicketNumber(resp: VoiceResponse, lang: Lang, deps: VoiceDeps): void {
  const g = gather(resp, { action: deps.urls('status', { lang }), finishOnKey: '#', timeoutSeconds: 10 });
  say(g, lang, pick(PROMPTS.enterNumber, lang));
  resp.redirect({ method: 'POST' }, deps.urls('menu', { lang }));
}

/** A ticket's status and next step, as a sentence (the number spelled out). */
export function statusSentence(ticket: Ticket, lang: Lang, timezone: string): string {
  const words = STATUS_WORDS[ticket.status];
  const respondBy = DateTime.fromISO(ticket.respondBy).setZone(timezone).toFormat('HH:mm');
  return pick(PROMPTS.statusOf, lang, {
    spoken: spellTicketNumber(ticket.number),
    status: words.name[lang],
    next: fill(words.next[lang], { respondBy }),
  });
}

/**
 * Reads a ticket number back, one character at a time, and offers it by text message; then the menu
 * (or, at the end of a voicemail, goodbye).
 */
export function readBack(resp: VoiceResponse, lang: Lang, number: string, deps: VoiceDeps, then: 'menu' | 'hangup'): void {
  say(resp, lang, pick(PROMPTS.ticketIs, lang, { spoken: spellTicketNumber(number) }));
  const g = gather(resp, { action: deps.urls('sms-number', { lang, ticket: number }), numDigits: 1 });
  say(g, lang, pick(PROMPTS.smsOffer, lang));
  if (then === 'menu') resp.redirect({ method: 'POST' }, deps.urls('menu', { lang }));
  else {
    say(resp, lang, pick(PROMPTS.goodbye, lang));
    resp.hangup();
  }
}

async function findByDigits(digits: string, deps: VoiceDeps): Promise<Ticket[]> {
  const padded = digits.padStart(NUMBER_WIDTH, '0');
  const found = await Promise.all(deps.ticketPrefixes.map((p) => deps.tickets.get(`${p}-${padded}`)));
  return found.flatMap((d) => (d ? [d.ticket] : []));
}

function speakTickets(resp: VoiceResponse, lang: Lang, tickets: Ticket[], deps: VoiceDeps): void {
  for (const t of tickets) say(resp, lang, statusSentence(t, lang, deps.timezone));
  // With one match the number is offered by SMS; several numbers at once would only confuse.
  if (tickets.length === 1) readBack(resp, lang, tickets[0]!.number, deps, 'menu');
  else resp.redirect({ method: 'POST' }, deps.urls('menu', { lang }));
}

/** `POST /twilio/voice/status?lang=`: the keyed-in digits → status and next step of each matching ticket. */
export const statusStep: VoiceStep = async (req, deps) => {
  const lang = req.lang ?? deps.defaultLang;
  const resp = voiceResponse();
  const digits = (req.params.Digits ?? '').replace(/\D/g, '');
  const tickets = digits && digits.length <= NUMBER_WIDTH ? await findByDigits(digits, deps) : [];
  if (tickets.length === 0) {
    say(resp, lang, pick(PROMPTS.notFound, lang));
    askTicketNumber(resp, lang, deps);
    return resp;
  }
  speakTickets(resp, lang, tickets, deps);
  return resp;
};

/** `POST /twilio/voice/mine?lang=&t=INC-000042,REQ-000043`: a known caller picked one of their open tickets. */
export const mineStep: VoiceStep = async (req, deps) => {
  const lang = req.lang ?? deps.defaultLang;
  const resp = voiceResponse();
  const numbers = (req.query.t ?? '').split(',').filter(Boolean);
  const chosen = numbers[Number(req.params.Digits ?? '0') - 1];
  const detail = chosen ? await deps.tickets.get(chosen) : undefined;
  if (!detail) {
    resp.redirect({ method: 'POST' }, deps.urls('menu', { lang }));
    return resp;
  }
  speakTickets(resp, lang, [detail.ticket], deps);
  return resp;
};

const TEXT_OUTCOME = { sent: PROMPTS.smsSent, opted_out: PROMPTS.smsOff, failed: PROMPTS.smsFailed } as const;

/** `POST /twilio/voice/sms-number?lang=&ticket=`: key 1 texts the caller the number (once per call and ticket). */
export const smsNumberStep: VoiceStep = async (req, deps) => {
  const lang = req.lang ?? deps.defaultLang;
  const resp = voiceResponse();
  const number = req.query.ticket;
  if (req.params.Digits === '1' && number && req.params.From) {
    const outcome = await deps.textTicketNumber(req.params.CallSid ?? '', req.params.From, number, lang);
    say(resp, lang, pick(TEXT_OUTCOME[outcome], lang, { spoken: spellTicketNumber(number) }));
  } else say(resp, lang, pick(PROMPTS.goodbye, lang));
  resp.hangup();
  return resp;
};
