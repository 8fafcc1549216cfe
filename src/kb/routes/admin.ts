import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ApiKey } from '../../http/auth.js';
import { errorResponses } from '../../http/api/schemas.js';
import { guard } from '../../http/guard.js';
import { SpocError } from '../../shared/errors.js';
import { articleIdSchema, articleMetaSchema, type Article } from '../article.js';
import type { ArticleStore } from '../article-store.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import { withSummary } from '../parse.js';

const markdown = z.string().trim().min(1).max(50_000);
/** The body beside the front-matter fields; those are checked by the same schema as a file's front matter. */
const bodyPart = z.object({ body: z.strictObject({ zh: markdown, en: markdown }) });

const saved = { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: { type: 'string', enum: ['published', 'draft'] }, updatedAt: { type: 'string', format: 'date-time' } } } as const;
const doc = (summary: string, response: Record<number, unknown>) => ({ tags: ['kb'], summary, response });

const invalid = (issue: z.core.$ZodIssue | undefined) =>
  new SpocError('invalid_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, 400);

/**
 * `POST /api/v1/admin/kb/articles` (`{id, title, summary?, kind, services, keywords, incident?, autoAnswer,
 * status: published|draft, body:{zh,en}}`), `PUT /api/v1/admin/kb/articles/:id` (the same without id) and
 * `DELETE /api/v1/admin/kb/articles/:id`, admins only. Each change is stored, then put into the search index at
 * once. Shipped file articles are edited in config/kb, so the API refuses to change them (409).
 */
export function kbAdminRoutes(deps: { keys: ApiKey[]; kb: KnowledgeBase; articles: ArticleStore; now?: () => Date }): FastifyPluginAsync {
  function parse(id: string, input: unknown): Article {
    const body = bodyPart.safeParse(input);
    if (!body.success) throw invalid(body.error.issues[0]);
    const { body: _body, ...fields } = input as Record<string, unknown>;
    const meta = articleMetaSchema.safeParse(fields);
    if (!meta.success) throw invalid(meta.error.issues[0]);
    const unknown = meta.data.services.find((s) => !deps.kb.hasService(s));
    if (unknown) throw new SpocError('invalid_request', `services: unknown service "${unknown}" (not in kb/services.yaml)`, 400);
    return withSummary({ ...meta.data, id, body: body.data.body, source: 'api', updatedAt: (deps.now?.() ?? new Date()).toISOString() });
  }
  /** The API's own article by id: unknown is 404, a shipped file is 409. */
  function own(id: string): Article {
    const article = deps.kb.get(id);
    if (!article) throw new SpocError('not_found', `no article ${id}`, 404);
    if (article.source === 'file') throw new SpocError('conflict', `article ${id} is a file in config/kb/articles; change it there`, 409);
    return article;
  }
  const save = async (article: Article) => {
    await deps.articles.save(article);
    deps.kb.put(article);
    return { id: article.id, status: article.status, updatedAt: article.updatedAt };
  };

  return async (app) => {
    const preHandler = guard(deps.keys, 'admin');
    app.post('/api/v1/admin/kb/articles', { preHandler, schema: doc('Write a knowledge-base article', { 201: saved, ...errorResponses(400, 401, 403, 409) }) }, async (req, reply) => {
      const input = (req.body ?? {}) as Record<string, unknown>;
      const id = articleIdSchema.safeParse(input.id);
      if (!id.success) throw invalid({ ...id.error.issues[0]!, path: ['id'] });
      if (deps.kb.get(id.data)) throw new SpocError('conflict', `article ${id.data} exists`, 409);
      const { id: _id, ...rest } = input;
      return reply.status(201).send(await save(parse(id.data, rest)));
    });
    app.put<{ Params: { id: string } }>('/api/v1/admin/kb/articles/:id', { preHandler, schema: doc('Replace an article written through the API', { 200: saved, ...errorResponses(400, 401, 403, 404, 409) }) }, async (req) => {
      own(req.params.id);
      return save(parse(req.params.id, req.body ?? {}));
    });
    app.delete<{ Params: { id: string } }>('/api/v1/admin/kb/articles/:id', { preHandler, schema: doc('Delete an article written through the API', { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(401, 403, 404, 409) }) }, async (req, reply) => {
      own(req.params.id);
      await deps.articles.remove(req.params.id);
      deps.kb.remove(req.params.id);
      return reply.status(204).send();
    });
  };
}
