import type { ParsedMail } from 'mailparser';
import { rawHeader, firstAddress } from './headers.js';
import { isOurMark, localPart, MARK_HEADER } from './mark.js';

/** What is ours: automatic mail from or about these is never answered. */
export interface OwnIdentity {
  addresses: string[];
  /** The key of the mark spoc puts on its own mail (mark.ts). */
  markKey: string;
}

const SYSTEM_SENDER = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

/** True for RFC 3464 delivery status notifications: they never open a ticket. */
export function isDeliveryReport(parsed: Pick<ParsedMail, 'headerLines'>): boolean {
  const ct = rawHeader(parsed, 'content-type') ?? '';
  return /multipart\/report/i.test(ct) && /report-type\s*=\s*"?delivery-status/i.test(ct);
}

/**
 * Why this mail must get no automatic answer, or undefined when answering is safe. The tests are the
 * ones RFC 3834 and common practice name: a loop with an auto-responder is worse than a missed ack.
 */
export function automaticReason(parsed: Pick<ParsedMail, 'headerLines' | 'from' | 'messageId'>, own: OwnIdentity): string | undefined {
  const autoSubmitted = rawHeader(parsed, 'auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) return `auto-submitted ${autoSubmitted.toLowerCase()}`;
  const precedence = rawHeader(parsed, 'precedence');
  if (precedence && /^(bulk|list|junk|auto_reply)\b/i.test(precedence)) return `precedence ${precedence.toLowerCase()}`;
  const suppress = rawHeader(parsed, 'x-auto-response-suppress');
  if (suppress && /\b(all|oof|autoreply)\b/i.test(suppress)) return `x-auto-response-suppress ${suppress}`;
  if (rawHeader(parsed, 'list-id') !== undefined) return 'list-id';
  if (rawHeader(parsed, 'x-loop') !== undefined) return 'x-loop';
  if (rawHeader(parsed, 'return-path') === '<>') return 'null return path';
  if (rawHeader(parsed, 'x-autoreply') !== undefined || rawHeader(parsed, 'x-autorespond') !== undefined) return 'x-autoreply';
  const from = firstAddress(parsed.from).address;
  if (!from) return 'no sender address';
  if (SYSTEM_SENDER.test(from)) return 'system sender';
  if (own.addresses.some((a) => a.toLowerCase() === from)) return 'our own address';
  if (isOurOwnMail(parsed, own)) return OUR_OWN_MAIL;
  return undefined;
}

export const OUR_OWN_MAIL = 'our own mail';

/** Mail spoc sent that came back (a forwarding rule, an alias): known by our mark, never by a domain. */
export function isOurOwnMail(parsed: Pick<ParsedMail, 'headerLines' | 'messageId'>, own: OwnIdentity): boolean {
  // Only what spoc alone writes: a colleague's Outlook writes Message-IDs at our domain too.
  return isOurMark(localPart(parsed.messageId), own.markKey) || isOurMark(rawHeader(parsed, MARK_HEADER), own.markKey);
}
