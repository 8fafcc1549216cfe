import type { FastifyInstance } from 'fastify';
import type { StoreDirectory } from '../../ticketing/index.js';
import type { ApiKey } from '../auth.js';
import { guard } from '../guard.js';
import { requesterInputSchema } from './views.js';
import { errorResponses, ref } from './schemas.js';

/** `PUT /api/v1/requesters/:id`: an HR system or an LDAP export keeps the directory in sync, keyed by its own id. */
export async function requesterRoutes(app: FastifyInstance, deps: { keys: ApiKey[]; directory: StoreDirectory }): Promise<void> {
  app.put<{ Params: { id: string }; Body: Record<string, string | boolean> }>(
    '/api/v1/requesters/:id',
    {
      preHandler: guard(deps.keys, 'admin'),
      schema: {
        tags: ['requesters'],
        summary: 'Create or update a requester by an external (HR/LDAP) id',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } },
        body: {
          ...requesterInputSchema,
          properties: {
            ...requesterInputSchema.properties,
            location: { type: 'string', maxLength: 200 },
            vip: { type: 'boolean' },
            language: { type: 'string', enum: ['zh', 'en'] },
          },
        },
        response: { 200: { type: 'object', required: ['requester'], properties: { requester: ref('Requester') } }, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => ({ requester: await deps.directory.upsert(req.params.id, req.body) }),
  );
}
