import type { FastifyInstance } from 'fastify';
import type { FailedJobs } from '../../dispatch/failed-jobs.js';
import type { ApiKey } from '../auth.js';
import { guard } from '../guard.js';
import { errorResponses } from './schemas.js';

/** Jobs that kept failing are kept, listed and retried by an admin: never dropped. */
export async function adminRoutes(app: FastifyInstance, deps: { keys: ApiKey[]; failedJobs: FailedJobs }): Promise<void> {
  const adminOnly = guard(deps.keys, 'admin');
  app.get<{ Querystring: { limit?: number } }>(
    '/api/v1/admin/failed-jobs',
    {
      preHandler: adminOnly,
      schema: { tags: ['admin'], summary: 'Outbox jobs that failed every try', querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } } },
        response: {
          200: {
            type: 'object',
            required: ['jobs'],
            properties: {
              jobs: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'type', 'attempts'],
                  properties: { id: { type: 'string' }, type: { type: 'string' }, key: { type: 'string' }, ticketId: { type: 'string' }, eventId: { type: 'integer' }, attempts: { type: 'integer' }, lastError: { type: 'string' }, createdAt: { type: 'string' } },
                  additionalProperties: true,
                },
              },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => ({ jobs: await deps.failedJobs.list(req.query.limit) }),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/admin/failed-jobs/:id/retry',
    {
      preHandler: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Run a failed job again',
        params: { type: 'object', properties: { id: { type: 'string' } } },
        response: { 202: { type: 'object', required: ['retried'], properties: { retried: { type: 'string' } } }, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deps.failedJobs.retry(req.params.id);
      reply.status(202);
      return { retried: req.params.id };
    },
  );
}
