import { sameSecret } from '../shared/same-secret.js';
import type { SolvedLinks } from '../kb/solved-links.js';

// Article ids are slugs without a colon, so no "solved it" signature doubles as a rating token.
const PURPOSE = 'rate:';

/**
 * Public rating links `/rate/<ticket>.<expiry>.<HMAC>`: the key and HMAC are the knowledge base's solved
 * links', over a purpose of their own that includes the expiry (seconds since 1970, base 36), so only a link
 * we sent can rate a ticket, and only until it expires.
 */
export function createSurveyLinks(signer: Pick<SolvedLinks, 'sign'>, publicBaseUrl: string) {
  const sign = (ticket: string, exp: string) => signer.sign(ticket, `${PURPOSE}${exp}`);
  const tokenFor = (ticket: string, expiresAt: Date) => {
    const exp = Math.ceil(expiresAt.getTime() / 1000).toString(36);
    return `${ticket}.${exp}.${sign(ticket, exp)}`;
  };
  return {
    tokenFor,
    url: (ticket: string, expiresAt: Date) => `${publicBaseUrl.replace(/\/$/, '')}/rate/${encodeURIComponent(tokenFor(ticket, expiresAt))}`,
    /** The ticket number and expiry a token names, or undefined when we did not sign it. */
    read(token: string): { ticket: string; expiresAt: Date } | undefined {
      const [ticket, exp, signature, ...rest] = token.split('.');
      if (!ticket || !exp || !signature || rest.length > 0 || !/^[0-9a-z]{1,10}$/.test(exp)) return undefined;
      if (!sameSecret(signature, sign(ticket, exp))) return undefined;
      return { ticket, expiresAt: new Date(parseInt(exp, 36) * 1000) };
    },
  };
}
export type SurveyLinks = ReturnType<typeof createSurveyLinks>;
