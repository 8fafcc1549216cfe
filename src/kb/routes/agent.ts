import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ApiKey } from '../../http/auth.js';
import { apiActor, guard, type StaffLookup } from '../../http/guard.js';
import { errorResponses } from '../../http/api/schemas.js';
import { SpocError } from '../../shared/errors.js';
import type { TicketService } from '../../ticketing/service-types.js';
import { articleUrl } from '../article.js';
import type { KnowledgeBase } from '../knowledge-base.js';

const sendBody = z.object({ articleId: z.string().max(80), agent: z.string().max(100).optional() });

/**
 * For agents: `GET /api/v1/kb/tickets/:number/suggestions` (articles for the ticket's subject and first
 * message, in its language) and `POST /api/v1/kb/tickets/:number/send` (the article's summary and link is the
 * reply, on the requester's channel as any reply).
 */
export function kbAgentRoutes(deps: { keys: ApiKey[]; kb: KnowledgeBase; tickets: TicketService; staff: StaffLookup; publicBaseUrl: string }): FastifyPluginAsync {
  return async (app) => {
    const ticketOf = async (number: string) => {
      const detail = await deps.tickets.get(number.toUpperCase());
      if (!detail) throw new SpocError('not_found', `no ticket ${number}`, 404);
      return detail;
    };
    app.get<{ Params: { number: string } }>('/api/v1/kb/tickets/:number/suggestions', { preHandler: guard(deps.keys, 'agent'), schema: { tags: ['kb'], summary: 'Articles for a ticket', response: { 200: { type: 'object', required: ['results'], properties: { results: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, ...errorResponses(401, 403, 404) } } }, async (req) => {
      const { ticket, messages } = await ticketOf(req.params.number);
      const first = messages.find((m) => m.direction === 'in');
      return { results: deps.kb.search(`${ticket.subject}\n${first?.body ?? ''}`.slice(0, 2000), { lang: ticket.language ?? 'zh', limit: 5 }) };
    });
    app.post<{ Params: { number: string } }>('/api/v1/kb/tickets/:number/send', { preHandler: guard(deps.keys, 'agent'), schema: { tags: ['kb'], summary: 'Send an article as the reply', response: { 201: { type: 'object', additionalProperties: true }, ...errorResponses(400, 401, 403, 404) } } }, async (req, reply) => {
      const parsed = sendBody.safeParse(req.body ?? {});
      if (!parsed.success) throw new SpocError('invalid_request', parsed.error.issues[0]?.message ?? 'invalid body', 400);
      const { ticket } = await ticketOf(req.params.number);
      const article = deps.kb.get(parsed.data.articleId);
      if (!article || article.status !== 'published') throw new SpocError('not_found', `no published article ${parsed.data.articleId}`, 404);
      const lang = ticket.language ?? 'zh';
      const body = `${article.title[lang]}\n\n${article.summary[lang]}\n\n${articleUrl(deps.publicBaseUrl, article.id, lang)}`;
      const sent = await deps.tickets.reply(ticket.number, await apiActor(req, deps.staff, parsed.data.agent), { body });
      return reply.status(201).send({ number: sent.ticket.number, messageId: sent.message.id, body });
    });
  };
}
