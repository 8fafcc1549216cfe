import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sameSecret } from '../shared/same-secret.js';

/**
 * "Solved it" links in acknowledgements: `/kb/solved/<ticket>/<article>?s=<HMAC>`, so only a link we sent
 * can resolve a ticket. The key is SPOC_KB_LINK_SECRET, else one made on first start in the data
 * directory (shared by every process that shares the data directory).
 */
export function createSolvedLinks(opts: { env: NodeJS.ProcessEnv; dataDir: string; publicBaseUrl: string }) {
  const secret = opts.env.SPOC_KB_LINK_SECRET ?? fileSecret(opts.dataDir);
  const sign = (ticket: string, article: string) => createHmac('sha256', secret).update(`${ticket}\n${article}`).digest('base64url');
  return {
    url: (ticket: string, article: string) =>
      `${opts.publicBaseUrl.replace(/\/$/, '')}/kb/solved/${encodeURIComponent(ticket)}/${encodeURIComponent(article)}?s=${sign(ticket, article)}`,
    /** The same HMAC over another purpose's pair (the satisfaction survey signs `(ticket, 'rate:<expiry>')`). */
    sign,
    verify(ticket: string, article: string, signature: string): boolean {
      return sameSecret(signature, sign(ticket, article));
    },
  };
}
export type SolvedLinks = ReturnType<typeof createSolvedLinks>;

function fileSecret(dataDir: string): string {
  const file = join(dataDir, 'kb-link-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process made it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return readFileSync(file, 'utf8').trim();
  }
}
