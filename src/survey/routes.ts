import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { publicRateLimit } from '../channels/web/rate-limit.js';
import { SpocError } from '../shared/errors.js';
import { escapeHtml } from '../shared/html.js';
import type { TicketService } from '../ticketing/service-types.js';
import type { SurveyLinks } from './links.js';

const params = z.object({ token: z.string().max(200) });
const query = z.object({ score: z.coerce.number().int().min(1).max(5) });

const TEXT = {
  zh: { ask: '您对这次服务满意吗？（1 = 很不满意，5 = 非常满意）', done: '谢谢您的评价！', already: '这个工单已经评价过了，每个工单只能评价一次。' },
  en: { ask: 'How satisfied are you with how this was handled? (1 = not at all, 5 = very)', done: 'Thank you for your rating!', already: 'This ticket has already been rated; each ticket can be rated once.' },
};

/**
 * `GET /rate/:token` shows 1–5 buttons and `POST` records the score as a `rated` event, once: mail
 * scanners follow links with GET, so only the form's POST rates. A token we did not sign gets 403; a
 * second rating gets a page saying so (409) and changes nothing.
 */
export function surveyRoutes(deps: { links: SurveyLinks; tickets: TicketService }): FastifyPluginAsync {
  return async (app) => {
    const limit = { config: { rateLimit: publicRateLimit({ max: 30, windowMs: 60_000 }) } };
    const ticketOf = async (p: unknown) => {
      const { token } = params.parse(p);
      const number = deps.links.ticketOf(token);
      if (!number) throw new SpocError('forbidden', 'this link was not issued by the service desk', 403);
      const detail = await deps.tickets.get(number);
      if (!detail) throw new SpocError('not_found', `no ticket ${number}`, 404);
      return { token, detail, lang: detail.ticket.language ?? detail.requester.language ?? 'zh' };
    };
    const page = (reply: FastifyReply, lang: 'zh' | 'en', body: string) =>
      reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(
        `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>spoc</title></head><body style="font:16px/1.6 system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px">${body}</body></html>`,
      );
    const rated = (d: { events: Array<{ type: string }> }) => d.events.some((e) => e.type === 'rated');

    app.get('/rate/:token', limit, async (req, reply) => {
      const { token, detail, lang } = await ticketOf(req.params);
      if (rated(detail)) return page(reply.code(409), lang, `<p>${TEXT[lang].already}</p>`);
      // One form per score, the score in its action, so the page needs no form-body parser.
      const action = (n: number) => `/rate/${encodeURIComponent(token)}?score=${n}`;
      const buttons = [1, 2, 3, 4, 5].map((n) => `<form method="post" action="${action(n)}" style="display:inline"><button type="submit">${n}</button></form>`).join(' ');
      return page(
        reply,
        lang,
        `<h1>${escapeHtml(detail.ticket.number)}: ${escapeHtml(detail.ticket.subject)}</h1><p>${TEXT[lang].ask}</p>` +
          `<p>${buttons}</p>`,
      );
    });

    app.post('/rate/:token', limit, async (req, reply) => {
      const { detail, lang } = await ticketOf(req.params);
      const { score } = query.parse(req.query);
      const actor = { id: `requester:${detail.requester.id}`, role: 'requester' as const };
      try {
        await deps.tickets.rate(detail.ticket.number, actor, { score: score as 1 | 2 | 3 | 4 | 5, once: true });
      } catch (err) {
        if (err instanceof SpocError && err.code === 'already_rated') return page(reply.code(409), lang, `<p>${TEXT[lang].already}</p>`);
        throw err;
      }
      return page(reply, lang, `<p>${TEXT[lang].done}</p>`);
    });
  };
}
