import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deskCsp, layout, type Lang } from './pages.js';

/** The staff member's language when signed in, else the browser's. */
export const langOf = (req: FastifyRequest): Lang => req.staffSession?.staff.language ?? (/^zh/i.test(req.headers['accept-language'] ?? '') ? 'zh' : 'en');

/** Answers with a desk page: a fresh CSP nonce, nosniff, never cached; the signed-in person and sign-out when `req` has a session. */
export function sendPage(reply: FastifyReply, lang: Lang, title: string, body: string, req?: FastifyRequest, status = 200) {
  const nonce = randomBytes(16).toString('base64');
  const s = req?.staffSession;
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', deskCsp(nonce))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(layout({ lang, title, nonce, body, csrf: s?.csrf, who: s ? `${s.staff.name} (${s.staff.role})` : undefined }));
}
