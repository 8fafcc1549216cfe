import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { publicRateLimit } from '../../channels/web/rate-limit.js';
import { escapeHtml } from '../../shared/html.js';
import { SpocError } from '../../shared/errors.js';
import type { TicketService } from '../../ticketing/service-types.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import type { SolvedLinks } from '../solved-links.js';

const params = z.object({ ticket: z.string().max(32), article: z.string().max(80) });
const query = z.object({ s: z.string().max(100).default('') });

const TEXT = {
  zh: { ask: '这篇文章解决了您的问题吗？', confirm: '是的，已解决', done: '谢谢！工单已标记为已解决，稍后您会收到确认邮件。', already: '这个工单已经解决。' },
  en: { ask: 'Did this article solve your problem?', confirm: 'Yes, it is solved', done: 'Thank you! The ticket is marked resolved; you will get the usual confirmation mail.', already: 'This ticket is already resolved.' },
};

/**
 * `GET /kb/solved/:ticket/:article?s=` shows a confirmation page and `POST` acts: mail scanners follow
 * links with GET, and must not resolve tickets. A link whose signature is not ours gets 403. The ticket
 * resolves once, as solved by the article; the requester's confirmation follows as for any resolution.
 */
export function kbSolvedRoutes(deps: { kb: KnowledgeBase; links: SolvedLinks; tickets: TicketService }): FastifyPluginAsync {
  return async (app) => {
    const limit = { config: { rateLimit: publicRateLimit({ max: 30, windowMs: 60_000 }) } };
    const checked = (p: unknown, q: unknown) => {
      const { ticket, article } = params.parse(p);
      const { s } = query.parse(q);
      if (!deps.links.verify(ticket, article, s)) throw new SpocError('forbidden', 'this link was not issued by the service desk', 403);
      const found = deps.kb.get(article);
      if (!found) throw new SpocError('not_found', `no article ${article}`, 404);
      return { ticket, article: found, s };
    };
    const page = (reply: FastifyReply, lang: 'zh' | 'en', body: string) =>
      reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(
        `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>spoc</title></head><body style="font:16px/1.6 system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px">${body}</body></html>`,
      );
    app.get('/kb/solved/:ticket/:article', limit, async (req, reply) => {
      const { ticket, article, s } = checked(req.params, req.query);
      const detail = await deps.tickets.get(ticket);
      const lang = detail?.ticket.language ?? 'zh';
      const t = TEXT[lang];
      return page(
        reply,
        lang,
        `<h1>${escapeHtml(article.title[lang])}</h1><p>${escapeHtml(ticket)}: ${t.ask}</p>` +
          `<form method="post" action="/kb/solved/${encodeURIComponent(ticket)}/${encodeURIComponent(article.id)}?s=${encodeURIComponent(s)}"><button type="submit">${t.confirm}</button></form>`,
      );
    });
    app.post('/kb/solved/:ticket/:article', limit, async (req, reply) => {
      const { ticket, article } = checked(req.params, req.query);
      const detail = await deps.tickets.get(ticket);
      if (!detail) throw new SpocError('not_found', `no ticket ${ticket}`, 404);
      const lang = detail.ticket.language ?? 'zh';
      if (detail.ticket.status === 'resolved' || detail.ticket.status === 'closed') return page(reply, lang, `<p>${TEXT[lang].already}</p>`);
      await deps.tickets.resolve(ticket, { id: `kb:${article.id}`, name: 'knowledge base', role: 'requester' }, { resolution: `Solved by article ${article.id}: ${article.title[lang]}` });
      return page(reply, lang, `<p>${TEXT[lang].done}</p>`);
    });
  };
}
