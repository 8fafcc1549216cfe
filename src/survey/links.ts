import { sameSecret } from '../shared/same-secret.js';
import type { SolvedLinks } from '../kb/solved-links.js';

// Article ids are slugs without a colon, so no "solved it" signature doubles as a rating token.
const PURPOSE = 'rate:';

/**
 * Public rating links `/rate/<ticket>.<HMAC>`: the key and HMAC are the knowledge base's solved links',
 * over a purpose of their own, so only a link we sent can rate a ticket.
 */
export function createSurveyLinks(signer: Pick<SolvedLinks, 'sign'>, publicBaseUrl: string) {
  return {
    url: (ticket: string) => `${publicBaseUrl.replace(/\/$/, '')}/rate/${encodeURIComponent(ticket)}.${signer.sign(ticket, PURPOSE)}`,
    /** The ticket number a token names, or undefined when we did not sign it. */
    ticketOf(token: string): string | undefined {
      const dot = token.lastIndexOf('.');
      if (dot <= 0) return undefined;
      const ticket = token.slice(0, dot);
      return sameSecret(token.slice(dot + 1), signer.sign(ticket, PURPOSE)) ? ticket : undefined;
    },
  };
}
export type SurveyLinks = ReturnType<typeof createSurveyLinks>;
