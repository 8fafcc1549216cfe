import { TICKET_NUMBER_SOURCE } from '../../ticketing/numbers.js';

/** Reply and forward prefixes in the languages mail clients write them, possibly repeated ("Re: Fwd: 回复:"). */
const PREFIX = /^\s*(?:(?:re|fwd?|fw|aw|wg|sv|vs|回复|答复|转发|回覆|轉寄|转寄)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+/i;
const BRACKETED = new RegExp(`\\[(${TICKET_NUMBER_SOURCE})\\]`);
const LEADING = new RegExp(`^(${TICKET_NUMBER_SOURCE})\\b`);

export function stripReplyPrefixes(subject: string): string {
  return subject.replace(PREFIX, '').trim();
}

/** Our ticket number named in a subject: `[INC-000042]` anywhere after the prefixes, or a bare leading number. */
export function ticketNumberFromSubject(subject: string): string | undefined {
  const rest = stripReplyPrefixes(subject);
  return BRACKETED.exec(rest)?.[1] ?? LEADING.exec(rest)?.[1];
}

/** Message-IDs in angle brackets, as they appear in Message-ID, In-Reply-To and References. */
export function messageIds(value: string | string[] | undefined): string[] {
  const all = Array.isArray(value) ? value.join(' ') : value ?? '';
  return [...all.matchAll(/<[^<>\s]+>/g)].map((m) => m[0]);
}

/** The ids a mail answers, nearest first: In-Reply-To, then References newest to oldest, without repeats. */
export function replyToIds(inReplyTo: string | undefined, references: string | string[] | undefined): string[] {
  const ordered = [...messageIds(inReplyTo), ...messageIds(references).reverse()];
  return [...new Set(ordered)].slice(0, 20);
}
