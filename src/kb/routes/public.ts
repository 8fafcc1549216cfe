import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { publicRateLimit } from '../../channels/web/rate-limit.js';
import { pickLanguage } from '../../channels/web/i18n.js';
import { SpocError } from '../../shared/errors.js';
import type { Deflections } from '../deflections.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import { renderArticlePage } from '../render.js';
import { parseSearch, queryLanguage } from './api.js';

const pageQuery = z.object({ lang: z.enum(['zh', 'en']).optional() });
const deflectionBody = z.object({ articleId: z.string().max(80), channel: z.enum(['web', 'chat']).default('web'), language: z.enum(['zh', 'en']).default('zh') });

/**
 * The public side: `GET /kb/suggest?q=` (what the portal shows while a subject is typed; published
 * articles only, rate-limited per client IP), `POST /kb/deflections` ("this solved it": counted, no ticket)
 * and `GET /kb/:id`, an article's page.
 */
export function kbPublicRoutes(deps: { kb: KnowledgeBase; deflections: Deflections; suggestLimit: { max: number; windowMs: number } }): FastifyPluginAsync {
  return async (app) => {
    if (!app.hasDecorator('rateLimit')) await app.register(rateLimit, { global: false });
    app.get('/kb/suggest', { config: { rateLimit: publicRateLimit(deps.suggestLimit) } }, async (req) => {
      const { q, lang, limit } = parseSearch(req.query);
      return { results: deps.kb.search(q, { lang: queryLanguage(q, lang), limit: Math.min(limit, 5), publishedOnly: true }) };
    });
    app.post('/kb/deflections', { config: { rateLimit: publicRateLimit({ max: 20, windowMs: 60_000 }) } }, async (req, reply) => {
      const parsed = deflectionBody.safeParse(req.body ?? {});
      if (!parsed.success) throw new SpocError('invalid_request', parsed.error.issues[0]?.message ?? 'invalid body', 400);
      const article = deps.kb.get(parsed.data.articleId);
      if (!article || article.status !== 'published') throw new SpocError('not_found', `no article ${parsed.data.articleId}`, 404);
      await deps.deflections.record(parsed.data);
      return reply.status(201).send({ counted: true });
    });
    app.get<{ Params: { id: string } }>('/kb/:id', { config: { rateLimit: publicRateLimit({ max: 120, windowMs: 60_000 }) } }, async (req, reply) => {
      const article = deps.kb.get(req.params.id);
      // A draft is not public: the same answer as an unknown id.
      if (!article || article.status !== 'published') throw new SpocError('not_found', `no article ${req.params.id}`, 404);
      const lang = pickLanguage(pageQuery.parse(req.query).lang, req.headers['accept-language'], 'zh');
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'")
        .header('x-content-type-options', 'nosniff')
        .send(renderArticlePage(article, lang));
    });
  };
}
