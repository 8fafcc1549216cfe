import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ApiKey } from '../../http/auth.js';
import { guard } from '../../http/guard.js';
import { errorResponses } from '../../http/api/schemas.js';
import { SpocError } from '../../shared/errors.js';
import type { Deflections } from '../deflections.js';
import type { KnowledgeBase } from '../knowledge-base.js';

export const searchQuery = z.object({
  q: z.string().trim().min(1, 'q is required').max(200),
  lang: z.enum(['zh', 'en']).optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

/** A query's language when the caller names none: any Han character makes it Chinese. */
export const queryLanguage = (q: string, lang?: 'zh' | 'en'): 'zh' | 'en' => lang ?? (/\p{Script=Han}/u.test(q) ? 'zh' : 'en');

export function parseSearch(query: unknown): z.output<typeof searchQuery> {
  const parsed = searchQuery.safeParse(query);
  if (!parsed.success) throw new SpocError('invalid_request', parsed.error.issues[0]?.message ?? 'invalid query', 400);
  return parsed.data;
}

const statsQuery = z.object({ from: z.iso.datetime().optional(), to: z.iso.datetime().optional() });

/**
 * `GET /api/v1/kb/search?q=` for any API key (drafts included, since agents and integrations see them)
 * and `GET /api/v1/kb/stats?from=&to=` (agents): deflections, the deflection rate and the articles that solved most.
 */
const results = { type: 'object', required: ['results'], properties: { results: { type: 'array', items: { type: 'object', additionalProperties: true } } } } as const;
const stats = { type: 'object', additionalProperties: true } as const;

export function kbApiRoutes(deps: { keys: ApiKey[]; kb: KnowledgeBase; deflections: Deflections; now?: () => Date }): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/v1/kb/search', { preHandler: guard(deps.keys, 'intake'), schema: { tags: ['kb'], summary: 'Ranked knowledge-base articles', response: { 200: results, ...errorResponses(400, 401) } } }, async (req) => {
      const { q, lang, limit } = parseSearch(req.query);
      return { results: deps.kb.search(q, { lang: queryLanguage(q, lang), limit }) };
    });
    app.get('/api/v1/kb/stats', { preHandler: guard(deps.keys, 'agent'), schema: { tags: ['kb'], summary: 'Deflections and the articles that solved most', response: { 200: stats, ...errorResponses(400, 401, 403) } } }, async (req) => {
      const parsed = statsQuery.safeParse(req.query);
      if (!parsed.success) throw new SpocError('invalid_request', `from/to: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 400);
      const to = parsed.data.to ?? (deps.now?.() ?? new Date()).toISOString();
      const from = parsed.data.from ?? new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
      return deps.deflections.stats(from, to);
    });
  };
}
