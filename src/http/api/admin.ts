import type { FastifyInstance } from 'fastify';
import type { FailedJobs } from '../../dispatch/failed-jobs.js';
import type { ApiKey } from '../auth.js';
import { guard } from '../guard.js';

/** Jobs that kept failing are kept, listed and retried by an admin: never dropped. */
export async function adminRoutes(app: FastifyInstance, deps: { keys: ApiKey[]; failedJobs: FailedJobs }): Promise<void> {
  const adminOnly = guard(deps.keys, 'admin');
  app.get<{ Querystring: { limit?: number } }>(
    '/api/v1/admin/failed-jobs',
    {
      preHandler: adminOnly,
      schema: { tags: ['admin'], summary: 'Outbox jobs that failed every try', querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } } } },
    },
    async (req) => ({ jobs: await deps.failedJobs.list(req.query.limit) }),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/admin/failed-jobs/:id/retry',
    { preHandler: adminOnly, schema: { tags: ['admin'], summary: 'Run a failed job again', params: { type: 'object', properties: { id: { type: 'string' } } } } },
    async (req, reply) => {
      await deps.failedJobs.retry(req.params.id);
      reply.status(202);
      return { retried: req.params.id };
    },
  );
}
